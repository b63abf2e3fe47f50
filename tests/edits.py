"""The everyday edits a helpdesk makes to its support database, on any engine, and
the check that the facts store shows them: every report and the whole tickets table
from the store equal the same queries run directly on the edited database.

Each edit picks its rows with plain queries (a resolved ticket in the middle of the
ids, the agent with the most tickets, ...) and returns what it did, for messages.
"""

from datetime import timedelta

from sqlalchemy import delete, func, insert, select, update

from dashboard.data.facts import DIRECT
from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.data.schema import AGENT, CUSTOMER, MESSAGE, SENDER, TICKET
from dashboard.data.tickets import tickets_page
from tests.frames import assert_same_frames


def _middle_ticket(conn, *where) -> int:
    """A ticket in the middle of the ids (not the newest: the cheap check watches
    those) that matches `where`."""
    ids = conn.execute(
        select(TICKET.c.ticket_id).where(*where).order_by(TICKET.c.ticket_id)
    ).scalars()
    ids = list(ids)
    return ids[len(ids) // 2]


def _other_category(conn, ticket_id: int) -> str:
    category = conn.execute(
        select(TICKET.c.ticket_category).where(TICKET.c.ticket_id == ticket_id)
    ).scalar_one()
    return "Wrong order" if category != "Wrong order" else "Bug report"


def recategorise_resolved(conn) -> str:
    ticket = _middle_ticket(conn, TICKET.c.ticket_status == "resolved")
    category = _other_category(conn, ticket)
    conn.execute(
        update(TICKET)
        .where(TICKET.c.ticket_id == ticket)
        .values(ticket_category=category)
    )
    return f"ticket {ticket} -> {category}"


def _swap(conn, column, among) -> tuple[int, int, object, object]:
    """Two tickets matching `among` with different values of `column` swap them:
    (a, b, a's value before, b's value before)."""
    a = _middle_ticket(conn, among)
    value_a = conn.execute(select(column).where(TICKET.c.ticket_id == a)).scalar_one()
    b, value_b = conn.execute(
        select(TICKET.c.ticket_id, column)
        .where(among, column != value_a, TICKET.c.ticket_id > a)
        .order_by(TICKET.c.ticket_id)
        .limit(1)
    ).one()
    for ticket, value in ((a, value_b), (b, value_a)):
        conn.execute(
            update(TICKET)
            .where(TICKET.c.ticket_id == ticket)
            .values({column.name: value})
        )
    return a, b, value_a, value_b


def swap_categories(conn) -> str:
    """Two resolved tickets of different categories swap them: every count per
    status, every rating sum and every id stays as it was."""
    a, b, cat_a, cat_b = _swap(
        conn, TICKET.c.ticket_category, TICKET.c.ticket_status == "resolved"
    )
    return f"tickets {a} and {b} swap {cat_a!r} and {cat_b!r}"


def swap_ratings(conn) -> str:
    """Two resolved tickets with different ratings swap them: the rating total and
    the number of resolved tickets stay as they were."""
    a, b, rating_a, rating_b = _swap(
        conn, TICKET.c.ticket_rating, TICKET.c.ticket_rating.is_not(None)
    )
    return f"tickets {a} and {b} swap ratings {rating_a} and {rating_b}"


def change_rating(conn) -> str:
    ticket = _middle_ticket(conn, TICKET.c.ticket_rating.is_not(None))
    rating = conn.execute(
        select(TICKET.c.ticket_rating).where(TICKET.c.ticket_id == ticket)
    ).scalar_one()
    new = 1 if rating != 1 else 5
    conn.execute(
        update(TICKET).where(TICKET.c.ticket_id == ticket).values(ticket_rating=new)
    )
    return f"ticket {ticket} rated {new}"


def busiest_agent(conn) -> int:
    """The agent who wrote on the most tickets."""
    per_agent = (
        select(AGENT.c.agent_id, func.count(MESSAGE.c.ticket_id.distinct()).label("n"))
        .select_from(MESSAGE.join(AGENT, AGENT.c.sender_id == MESSAGE.c.sender_id))
        .group_by(AGENT.c.agent_id)
        .order_by(func.count(MESSAGE.c.ticket_id.distinct()).desc(), AGENT.c.agent_id)
        .limit(1)
    )
    return conn.execute(per_agent).first()[0]


def rename_agent(conn) -> str:
    agent = busiest_agent(conn)
    conn.execute(
        update(AGENT)
        .where(AGENT.c.agent_id == agent)
        .values(agent_first_name="Renamed", agent_last_name="Zedd")
    )
    return f"agent {agent} -> Renamed Zedd"


def rename_customer(conn) -> str:
    customer = conn.execute(
        select(TICKET.c.customer_id).where(TICKET.c.ticket_id == _middle_ticket(conn))
    ).scalar_one()
    conn.execute(
        update(CUSTOMER)
        .where(CUSTOMER.c.customer_id == customer)
        .values(
            customer_first_name="Quill",
            customer_email_address=f"quill{customer}@example.net",
        )
    )
    return f"customer {customer} renamed"


def edit_message_text(conn) -> str:
    message = (
        conn.execute(
            select(MESSAGE.c.message_id).where(
                MESSAGE.c.ticket_id == _middle_ticket(conn)
            )
        )
        .scalars()
        .first()
    )
    conn.execute(
        update(MESSAGE)
        .where(MESSAGE.c.message_id == message)
        .values(message_text="Edited: the order number is 12345.")
    )
    return f"message {message} edited"


def move_message_time(conn) -> str:
    """A message's time corrected by an hour: resolution times move."""
    ticket = _middle_ticket(conn, TICKET.c.ticket_status == "resolved")
    message, sent = conn.execute(
        select(MESSAGE.c.message_id, MESSAGE.c.message_sent_time)
        .where(MESSAGE.c.ticket_id == ticket)
        .order_by(MESSAGE.c.message_sent_time.desc(), MESSAGE.c.message_id.desc())
        .limit(1)
    ).one()
    conn.execute(
        update(MESSAGE)
        .where(MESSAGE.c.message_id == message)
        .values(message_sent_time=sent + timedelta(hours=1))
    )
    return f"message {message} an hour later"


def delete_message(conn) -> str:
    """A message from the middle of a conversation (not the newest id)."""
    ticket = _middle_ticket(conn, TICKET.c.ticket_status == "resolved")
    messages = list(
        conn.execute(
            select(MESSAGE.c.message_id)
            .where(MESSAGE.c.ticket_id == ticket)
            .order_by(MESSAGE.c.message_id)
        ).scalars()
    )
    conn.execute(delete(MESSAGE).where(MESSAGE.c.message_id == messages[1]))
    return f"message {messages[1]} of ticket {ticket} deleted"


def erase_customer(conn) -> str:
    """An erasure request: the customer, their tickets and messages, their sender."""
    customer, sender = conn.execute(
        select(CUSTOMER.c.customer_id, CUSTOMER.c.sender_id)
        .select_from(
            CUSTOMER.join(TICKET, TICKET.c.customer_id == CUSTOMER.c.customer_id)
        )
        .where(TICKET.c.ticket_id == _middle_ticket(conn))
    ).one()
    tickets = select(TICKET.c.ticket_id).where(TICKET.c.customer_id == customer)
    conn.execute(delete(MESSAGE).where(MESSAGE.c.ticket_id.in_(tickets)))
    conn.execute(delete(TICKET).where(TICKET.c.customer_id == customer))
    conn.execute(delete(CUSTOMER).where(CUSTOMER.c.customer_id == customer))
    conn.execute(delete(MESSAGE).where(MESSAGE.c.sender_id == sender))
    conn.execute(delete(SENDER).where(SENDER.c.sender_id == sender))
    return f"customer {customer} erased"


def insert_ticket(conn) -> str:
    customer = conn.execute(select(func.min(CUSTOMER.c.customer_id))).scalar()
    sender = conn.execute(
        select(CUSTOMER.c.sender_id).where(CUSTOMER.c.customer_id == customer)
    ).scalar_one()
    newest = conn.execute(select(func.max(MESSAGE.c.message_sent_time))).scalar()
    ticket = conn.execute(
        insert(TICKET).values(
            customer_id=customer, ticket_category="Wrong order", ticket_status="open"
        )
    ).inserted_primary_key[0]
    conn.execute(
        insert(MESSAGE).values(
            ticket_id=ticket,
            sender_id=sender,
            message_sent_time=newest + timedelta(minutes=5),
            message_text="Where is my parcel?",
        )
    )
    return f"ticket {ticket} opened"


def reopen(conn) -> str:
    ticket = _middle_ticket(conn, TICKET.c.ticket_status == "resolved")
    conn.execute(
        update(TICKET)
        .where(TICKET.c.ticket_id == ticket)
        .values(ticket_status="open", ticket_rating=None)
    )
    return f"ticket {ticket} reopened"


EDITS = {
    "recategorise a resolved ticket": recategorise_resolved,
    "swap two tickets' categories": swap_categories,
    "swap two tickets' ratings": swap_ratings,
    "change a rating": change_rating,
    "rename an agent": rename_agent,
    "rename a customer": rename_customer,
    "move a message's time": move_message_time,
    "delete a message": delete_message,
    "erase a customer": erase_customer,
    "insert a ticket": insert_ticket,
    "reopen a ticket": reopen,
}
# Edits that leave the cheap check's fingerprint exactly as it was.
UNSEEN = (
    "recategorise a resolved ticket",
    "swap two tickets' categories",
    "swap two tickets' ratings",
    "rename an agent",
    "rename a customer",
    "move a message's time",
    "delete a message",
)


def months(conn) -> list[str]:
    rows = conn.execute(select(MESSAGE.c.message_sent_time)).scalars()
    return sorted({f"{t:%Y-%m}" for t in rows})


def assert_store_shows_the_database(store, engine, every_filter: bool = True) -> None:
    """Every report and every row of the tickets table, for all tickets (and, with
    `every_filter`, for the busiest agent, a month and a category): the store's
    equal the direct SQL's on `engine`."""
    chosen = [Filters()]
    if every_filter:
        with engine.connect() as conn:
            chosen += [
                Filters(agent=busiest_agent(conn)),
                Filters(month=months(conn)[-2]),
                Filters(category="Wrong order"),
            ]
    sort = [("ticket_id", "asc")]
    for filters in chosen:
        for name, report in REPORTS.items():
            with engine.connect() as conn:
                direct = report(conn, filters)
            assert_same_frames(store.run(name, filters), direct, f"{name} {filters}")

        def page(reader, facts, filters=filters):
            return tickets_page(reader, filters, None, sort, 0, None, facts)

        with engine.connect() as conn:
            want, n_want = page(conn, DIRECT)
        got, n_got = store.read(page)
        assert n_got == n_want, filters
        assert_same_frames(got, want, f"tickets {filters}")
