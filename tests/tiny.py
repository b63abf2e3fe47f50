"""A tiny hand-built support database whose report values are computed by hand.

Agents 1 and 3 share the name "Ann Lee" on purpose (they must stay separate rows).

T1 Bug report, resolved, rating 5: Mon 2025-01-06 09:00 customer 1, 10:00 agent 1,
   11:00 customer, 13:00 agent 1 -> resolution 4 h, first response 1 h, 1 agent.
T2 Bug report, resolved, rating 2: Fri 2025-01-10 08:00 customer 2, 14:00 agent 1,
   Sat 01-11 08:00 customer, 20:00 agent 2 -> resolution 36 h, first response 6 h.
T3 Wrong order, resolved, rating 4: Mon 2025-02-03 09:00 customer 1, 09:30 agent 3
   -> resolution 0.5 h, first response 0.5 h.
T4 Account access, open: Thu 2025-02-20 10:00 customer 2, 12:00 agent 2,
   Fri 02-21 09:00 customer -> waiting on an agent.
T5 Bug report, open: Tue 2025-02-25 15:00 customer 1 -> never answered; the newest
   message in the database.
"""

from datetime import datetime

from dashboard.data.schema import AGENT, CUSTOMER, MESSAGE, SENDER, TICKET

AGENTS = [(1, 1, "Ann", "Lee"), (2, 2, "Bob", "Ray"), (3, 3, "Ann", "Lee")]
CUSTOMERS = [(1, 11, "Cat", "Diaz"), (2, 12, "Dan", "Eko")]
TICKETS = [
    (1, 1, "Bug report", 5, "resolved"),
    (2, 2, "Bug report", 2, "resolved"),
    (3, 1, "Wrong order", 4, "resolved"),
    (4, 2, "Account access", None, "open"),
    (5, 1, "Bug report", None, "open"),
]
MESSAGES = [  # (ticket, sender, time)
    (1, 11, "2025-01-06 09:00"),
    (1, 1, "2025-01-06 10:00"),
    (1, 11, "2025-01-06 11:00"),
    (1, 1, "2025-01-06 13:00"),
    (2, 12, "2025-01-10 08:00"),
    (2, 1, "2025-01-10 14:00"),
    (2, 12, "2025-01-11 08:00"),
    (2, 2, "2025-01-11 20:00"),
    (3, 11, "2025-02-03 09:00"),
    (3, 3, "2025-02-03 09:30"),
    (4, 12, "2025-02-20 10:00"),
    (4, 2, "2025-02-20 12:00"),
    (4, 12, "2025-02-21 09:00"),
    (5, 11, "2025-02-25 15:00"),
]


def build(conn) -> None:
    """Insert the tiny data set into an empty schema."""
    conn.execute(
        SENDER.insert(),
        [{"sender_id": s, "sender_type": "agent"} for _, s, _, _ in AGENTS]
        + [{"sender_id": s, "sender_type": "customer"} for _, s, _, _ in CUSTOMERS],
    )
    conn.execute(
        AGENT.insert(),
        [
            {
                "agent_id": a,
                "sender_id": s,
                "agent_email_address": f"agent{a}@support.example.com",
                "agent_first_name": first,
                "agent_last_name": last,
                "agent_phone_no": 5550000000 + a,
            }
            for a, s, first, last in AGENTS
        ],
    )
    conn.execute(
        CUSTOMER.insert(),
        [
            {
                "customer_id": c,
                "sender_id": s,
                "customer_email_address": f"{first.lower()}@example.com",
                "customer_first_name": first,
                "customer_last_name": last,
                "customer_phone_no": 5551000000 + c,
            }
            for c, s, first, last in CUSTOMERS
        ],
    )
    conn.execute(
        TICKET.insert(),
        [
            {
                "ticket_id": t,
                "customer_id": c,
                "ticket_category": cat,
                "ticket_rating": rating,
                "ticket_status": status,
            }
            for t, c, cat, rating, status in TICKETS
        ],
    )
    conn.execute(
        MESSAGE.insert(),
        [
            {
                "message_id": i,
                "ticket_id": t,
                "sender_id": s,
                "message_sent_time": datetime.fromisoformat(when),
                "message_text": f"message {i}",
            }
            for i, (t, s, when) in enumerate(MESSAGES, start=1)
        ],
    )


def add_message(conn, ticket, sender, when, text="...", message_id=None) -> None:
    """One more MESSAGE row; `when` is 'YYYY-MM-DD HH:MM'."""
    row = {
        "ticket_id": ticket,
        "sender_id": sender,
        "message_sent_time": datetime.fromisoformat(when),
        "message_text": text,
    }
    if message_id is not None:
        row["message_id"] = message_id
    conn.execute(MESSAGE.insert().values(**row))


def add_customer(conn, customer, sender, email, first="Eve", last="Fox") -> None:
    """One more customer with their SENDER row."""
    conn.execute(SENDER.insert().values(sender_id=sender, sender_type="customer"))
    conn.execute(
        CUSTOMER.insert().values(
            customer_id=customer,
            sender_id=sender,
            customer_email_address=email,
            customer_first_name=first,
            customer_last_name=last,
        )
    )


def add_ticket(
    conn, ticket, customer, messages, category="Wrong order", status="open"
) -> None:
    """One more unrated ticket and its messages, (sender, 'YYYY-MM-DD HH:MM'[, text])
    each, so a test states only what it is about."""
    conn.execute(
        TICKET.insert().values(
            ticket_id=ticket,
            customer_id=customer,
            ticket_category=category,
            ticket_status=status,
        )
    )
    for sender, when, *text in messages:
        add_message(conn, ticket, sender, when, *text)
