-- Ratings of the tickets each agent worked on, each rated ticket counted once per
-- agent (not once per message as the spec's query does). Best average first.
-- MySQL 8 / MariaDB, valid under ONLY_FULL_GROUP_BY.
SELECT
    a.agent_id,
    CONCAT(a.agent_first_name, ' ', a.agent_last_name) AS agent,
    COUNT(*) AS n,
    MIN(t.ticket_rating) AS min_rating,
    AVG(t.ticket_rating + 0E0) AS avg_rating,
    MAX(t.ticket_rating) AS max_rating
FROM (SELECT DISTINCT sender_id, ticket_id FROM MESSAGE) AS worked
JOIN AGENT a ON a.sender_id = worked.sender_id
JOIN TICKET t ON t.ticket_id = worked.ticket_id
WHERE t.ticket_rating IS NOT NULL
GROUP BY a.agent_id, a.agent_first_name, a.agent_last_name
ORDER BY avg_rating DESC, a.agent_id;
