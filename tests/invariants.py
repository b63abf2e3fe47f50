"""The data-foundation invariants as plain SQL, for any support database.

Every check is a query listing the rows that break one rule (an empty result means it
holds), written in SQL that SQLite and MariaDB/MySQL (under ONLY_FULL_GROUP_BY) both
run. The generator tests, the simulator tests and the MariaDB tests share them:
`assert_invariants(conn)` fails with the broken rules and a few offending rows each.
"""

from sqlalchemy import text

CHECKS: dict[str, str] = {
    "every agent and customer is a sender of their own type": """
        SELECT 'agent', a.agent_id, s.sender_type
        FROM AGENT a LEFT JOIN SENDER s ON s.sender_id = a.sender_id
        WHERE s.sender_type IS NULL OR s.sender_type <> 'agent'
        UNION ALL
        SELECT 'customer', c.customer_id, s.sender_type
        FROM CUSTOMER c LEFT JOIN SENDER s ON s.sender_id = c.sender_id
        WHERE s.sender_type IS NULL OR s.sender_type <> 'customer'
    """,
    "every sender is exactly one agent or one customer": """
        SELECT s.sender_id, s.sender_type,
               (SELECT COUNT(*) FROM AGENT a WHERE a.sender_id = s.sender_id)
             + (SELECT COUNT(*) FROM CUSTOMER c WHERE c.sender_id = s.sender_id) AS n
        FROM SENDER s
        WHERE (SELECT COUNT(*) FROM AGENT a WHERE a.sender_id = s.sender_id)
            + (SELECT COUNT(*) FROM CUSTOMER c WHERE c.sender_id = s.sender_id) <> 1
    """,
    "every ticket belongs to an existing customer": """
        SELECT t.ticket_id, t.customer_id
        FROM TICKET t LEFT JOIN CUSTOMER c ON c.customer_id = t.customer_id
        WHERE c.customer_id IS NULL
    """,
    "every message is on an existing ticket from an existing sender": """
        SELECT m.message_id, m.ticket_id, m.sender_id
        FROM MESSAGE m
        LEFT JOIN TICKET t ON t.ticket_id = m.ticket_id
        LEFT JOIN SENDER s ON s.sender_id = m.sender_id
        WHERE t.ticket_id IS NULL OR s.sender_id IS NULL
    """,
    "every ticket has at least one message": """
        SELECT t.ticket_id FROM TICKET t
        WHERE NOT EXISTS (SELECT 1 FROM MESSAGE m WHERE m.ticket_id = t.ticket_id)
    """,
    "a ticket's first message is its customer's": """
        SELECT f.ticket_id, f.sender_id, c.sender_id AS customer_sender
        FROM (
            SELECT m.ticket_id, m.sender_id,
                   ROW_NUMBER() OVER (
                       PARTITION BY m.ticket_id
                       ORDER BY m.message_sent_time, m.message_id
                   ) AS rn
            FROM MESSAGE m
        ) f
        JOIN TICKET t ON t.ticket_id = f.ticket_id
        JOIN CUSTOMER c ON c.customer_id = t.customer_id
        WHERE f.rn = 1 AND f.sender_id <> c.sender_id
    """,
    "every message is from the ticket's customer or an agent": """
        SELECT m.message_id, m.ticket_id, m.sender_id
        FROM MESSAGE m
        JOIN TICKET t ON t.ticket_id = m.ticket_id
        JOIN CUSTOMER c ON c.customer_id = t.customer_id
        JOIN SENDER s ON s.sender_id = m.sender_id
        WHERE m.sender_id <> c.sender_id AND s.sender_type <> 'agent'
    """,
    "message times strictly increase with the message id within a ticket": """
        SELECT p.ticket_id, p.message_id, p.message_sent_time, p.previous_time
        FROM (
            SELECT m.ticket_id, m.message_id, m.message_sent_time,
                   LAG(m.message_sent_time) OVER (
                       PARTITION BY m.ticket_id ORDER BY m.message_id
                   ) AS previous_time
            FROM MESSAGE m
        ) p
        WHERE p.previous_time IS NOT NULL AND p.message_sent_time <= p.previous_time
    """,
    "statuses, categories and ratings are allowed values": """
        SELECT ticket_id, ticket_status, ticket_category, ticket_rating FROM TICKET
        WHERE ticket_status NOT IN ('open', 'resolved')
           OR ticket_category NOT IN ('Account access', 'Bug report',
                'Order cancellation', 'Overcharged transaction',
                'Undelivered goods', 'Wrong order')
           OR ticket_rating NOT BETWEEN 1 AND 5
    """,
    # Resolved tickets may be unrated: many customers never rate.
    "open tickets are unrated": """
        SELECT ticket_id, ticket_status, ticket_rating FROM TICKET
        WHERE ticket_status = 'open' AND ticket_rating IS NOT NULL
    """,
    "a resolved ticket has an agent message": """
        SELECT t.ticket_id FROM TICKET t
        WHERE t.ticket_status = 'resolved' AND NOT EXISTS (
            SELECT 1 FROM MESSAGE m JOIN AGENT a ON a.sender_id = m.sender_id
            WHERE m.ticket_id = t.ticket_id
        )
    """,
    "no agent message is sent twice, word for word, on one ticket": """
        SELECT m.ticket_id, COUNT(*) AS times, MIN(m.message_id) AS first_id
        FROM MESSAGE m JOIN AGENT a ON a.sender_id = m.sender_id
        GROUP BY m.ticket_id, m.message_text
        HAVING COUNT(*) > 1
    """,
    "at most three agents per ticket": """
        SELECT m.ticket_id, COUNT(DISTINCT m.sender_id) AS agents
        FROM MESSAGE m JOIN AGENT a ON a.sender_id = m.sender_id
        GROUP BY m.ticket_id
        HAVING COUNT(DISTINCT m.sender_id) > 3
    """,
}

SHOWN = 5  # offending rows shown per broken rule


def violations(conn) -> dict[str, list[tuple]]:
    """The broken rules, each with (up to SHOWN of) its offending rows."""
    broken = {}
    for rule, sql in CHECKS.items():
        rows = conn.execute(text(sql)).fetchmany(SHOWN)
        if rows:
            broken[rule] = [tuple(r) for r in rows]
    return broken


def assert_invariants(conn) -> None:
    """Fail, naming each broken rule and a few offending rows, unless all hold."""
    broken = violations(conn)
    assert not broken, "invariants broken:\n" + "\n".join(
        f"- {rule}: {rows}" for rule, rows in broken.items()
    )
