-- The spec's "Number of Agents Involved in a Ticket" query, exactly as written.
SELECT
	number_of_agents,
	COUNT(number_of_agents) AS number_of_tickets
FROM
(
    SELECT
        COUNT(DISTINCT MESSAGE.sender_id) AS number_of_agents
    FROM
        MESSAGE,
        SENDER,
        TICKET
    WHERE
        MESSAGE.sender_id = SENDER.sender_id AND
        sender_type = "agent" AND
        MESSAGE.ticket_id = TICKET.ticket_id AND
        ticket_status = "resolved"
    GROUP BY MESSAGE.ticket_id
) AS AGENT_COUNT_TABLE
GROUP BY number_of_agents;
