-- Tickets each agent sent at least one message on; agents with the same name stay
-- separate rows. MySQL 8 / MariaDB, valid under ONLY_FULL_GROUP_BY.
SELECT
    a.agent_id,
    CONCAT(a.agent_first_name, ' ', a.agent_last_name) AS agent,
    COUNT(DISTINCT m.ticket_id) AS number_of_tickets
FROM AGENT a
JOIN MESSAGE m ON m.sender_id = a.sender_id
GROUP BY a.agent_id, a.agent_first_name, a.agent_last_name
ORDER BY number_of_tickets DESC, a.agent_id;
