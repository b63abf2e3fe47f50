-- The spec's "Agent Ratings" query, exactly as written. It weights a ticket's rating by
-- the number of messages the agent sent on it, and fails under ONLY_FULL_GROUP_BY.
SELECT
	CONCAT(agent_first_name, " ", agent_last_name) AS agent,
	MIN(ticket_rating) AS min_rating,
	AVG(ticket_rating) AS avg_rating,
	MAX(ticket_rating) AS max_rating
FROM
	AGENT,
	MESSAGE,
	TICKET
WHERE
	AGENT.sender_id = MESSAGE.sender_id AND
	MESSAGE.ticket_id = TICKET.ticket_id
GROUP BY MESSAGE.sender_id;
