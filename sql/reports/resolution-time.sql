-- Resolution time of resolved tickets in hours (first to last message).
-- MySQL 8 / MariaDB, valid under ONLY_FULL_GROUP_BY. Reference for the engine's
-- `resolution-time` report (the engine adds the median and 90th percentile).
SELECT
    COUNT(*) AS n,
    MIN(resolution_time) AS min_resolution_time,
    AVG(resolution_time) AS avg_resolution_time,
    MAX(resolution_time) AS max_resolution_time
FROM (
    SELECT TIMESTAMPDIFF(SECOND, MIN(m.message_sent_time), MAX(m.message_sent_time))
           / 3600E0 AS resolution_time
    FROM MESSAGE m
    JOIN TICKET t ON t.ticket_id = m.ticket_id
    WHERE t.ticket_status = 'resolved'
    GROUP BY m.ticket_id
) AS per_ticket;
