-- The spec's "Total Number of Tickets Per Agent" query, exactly as written.
-- Fails under ONLY_FULL_GROUP_BY (MySQL 8's default): the names are not grouped.
SELECT
    CONCAT(agent_first_name, " ", agent_last_name) AS agent,
    COUNT(DISTINCT MESSAGE.ticket_id) AS number_of_tickets
FROM
    AGENT,
    MESSAGE
WHERE
    AGENT.sender_id = MESSAGE.sender_id
GROUP BY MESSAGE.sender_id;
