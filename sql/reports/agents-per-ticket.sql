-- How many different agents sent messages on each resolved ticket, and how many
-- tickets had that many. MySQL 8 / MariaDB, valid under ONLY_FULL_GROUP_BY.
SELECT number_of_agents, COUNT(*) AS number_of_tickets
FROM (
    SELECT COUNT(DISTINCT m.sender_id) AS number_of_agents
    FROM MESSAGE m
    JOIN SENDER s ON s.sender_id = m.sender_id AND s.sender_type = 'agent'
    JOIN TICKET t ON t.ticket_id = m.ticket_id AND t.ticket_status = 'resolved'
    GROUP BY m.ticket_id
) AS per_ticket
GROUP BY number_of_agents
ORDER BY number_of_agents;
