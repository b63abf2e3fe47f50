"""The drill-down queries: one page of the tickets table, and one ticket in detail.

`tickets_page` reads the per-ticket facts (the page passes the facts store's,
through `FactsStore.read`); the engine sorts, searches and pages with bound
parameters, so only the rows on screen leave it. `ticket_detail` reads one ticket
and its messages (what the conversation panel shows) from the support database
itself, through the index on MESSAGE.ticket_id (the foreign key's, or ours on
(ticket_id, time)).
"""

import pandas as pd
from sqlalchemy import String, cast, false, func, literal, null, or_, select
from sqlalchemy.engine import Connection

from dashboard.data.dialect import hours_between
from dashboard.data.facts import DIRECT, Facts, direct, full_name
from dashboard.data.filters import Filters, conditions
from dashboard.data.privacy import mask_message
from dashboard.data.reader import frame
from dashboard.data.reports import age_bucket, as_of
from dashboard.data.schema import AGENT, CUSTOMER, MESSAGE, SENDER, TICKET
from dashboard.data.values import looks_like_ticket_id, parse_ticket_id

COLUMNS = (
    "ticket_id",
    "opened",
    "customer",
    "customer_email",
    "customer_phone",
    "ticket_category",
    "ticket_status",
    "agents",
    "n_messages",
    "resolution_hours",
    "first_response_hours",
    "ticket_rating",
)
PERSONAL = ("customer_email", "customer_phone")
"""Columns blanked (and neither searched nor sortable) when personal data is off."""

SORTABLE = tuple(c for c in COLUMNS if c != "agents")
"""Columns the table can be sorted by; `agents` is a list of names, not sortable."""

DIRECTIONS = ("asc", "desc")
DEFAULT_SORT = (("opened", "desc"),)
OLDEST_FIRST = (("opened", "asc"),)  # the queue's order (an age picked)


class SortError(ValueError):
    """A sort key the tickets table does not offer; the message lists the valid ones."""


def _customer_name(c, personal_data: bool = True):
    """'Cat Diaz', or only the initials 'C. D.' where personal data is off."""
    if personal_data:
        return full_name(c.customer_first_name, c.customer_last_name)
    return (
        func.substr(c.customer_first_name, 1, 1)
        + literal(". ")
        + func.substr(c.customer_last_name, 1, 1)
        + literal(".")
    )


def _search_condition(search: str | None, t, c, personal_data: bool):
    """None (no search), or the WHERE condition for the search box text.

    A number (`123` or `#123`) finds that ticket id only; anything else is a
    case-insensitive substring of the category, the agents' names and, when
    personal data may be shown, the customer's name or email, with LIKE wildcards
    in the text taken literally. (Without personal data a customer cannot be found
    by name: the search would tell the name the table hides.)
    """
    text = (search or "").strip()
    if not text:
        return None
    if looks_like_ticket_id(text):
        number = parse_ticket_id(text)
        return false() if number is None else t.ticket_id == number
    fields = [t.ticket_category, t.agent_names]
    if personal_data:
        fields += [_customer_name(c), c.customer_email_address]
    return or_(*(f.icontains(text, autoescape=True) for f in fields))


def _order_by(sort, t, c, personal_data: bool, default=DEFAULT_SORT) -> list:
    """ORDER BY clauses for [(column, 'asc' | 'desc'), ...]; empty lists the newest
    first. Missing values (open tickets' resolution time, unrated tickets) sort last in
    either direction, and ties fall back to the newest ticket first, so pages never
    overlap."""
    columns = {
        "ticket_id": t.ticket_id,
        "opened": t.opened_at,
        "customer": _customer_name(c, personal_data),
        "customer_email": c.customer_email_address,
        "customer_phone": c.customer_phone_no,
        "ticket_category": t.ticket_category,
        "ticket_status": t.ticket_status,
        "n_messages": t.n_messages,
        "resolution_hours": t.resolution_hours,
        "first_response_hours": t.first_response_hours,
        "ticket_rating": t.ticket_rating,
    }
    allowed = [k for k in SORTABLE if personal_data or k not in PERSONAL]
    clauses, keys = [], set()
    for key, direction in sort or default:
        if key not in allowed:
            raise SortError(
                f"cannot sort the tickets by {key!r}; use one of {', '.join(allowed)}"
            )
        direction = str(direction).lower()
        if direction not in DIRECTIONS:
            raise SortError(f"sort direction must be asc or desc, not {direction!r}")
        if key in keys:
            continue
        keys.add(key)
        col = columns[key]
        # `col IS NULL` first: portable NULLS LAST (MySQL has no such clause).
        clauses += [col.is_(None), col.asc() if direction == "asc" else col.desc()]
    if "ticket_id" not in keys:
        clauses.append(t.ticket_id.desc())
    return clauses


def tickets_query(
    filters: Filters,
    search: str | None,
    sort: list[tuple[str, str]] | None,
    facts: Facts = DIRECT,
    *,
    personal_data: bool = True,
    age: int | None = None,
):
    """The tickets matching the filters and the search, in the requested order, as
    one statement of COLUMNS (the page and the CSV export share it); with
    `personal_data=False` the email and phone columns are NULL. `age`: only the open
    tickets in that reports.AGE_BUCKETS bucket, oldest first unless sorted."""
    t, c = facts.tickets.c, facts.customers.c
    joined = facts.tickets.outerjoin(facts.customers, c.customer_id == t.customer_id)
    hidden = null().label
    return (
        select(
            t.ticket_id,
            t.opened_at.label("opened"),
            _customer_name(c, personal_data).label("customer"),
            c.customer_email_address.label("customer_email")
            if personal_data
            else hidden("customer_email"),
            cast(c.customer_phone_no, String(32)).label("customer_phone")
            if personal_data
            else hidden("customer_phone"),
            t.ticket_category,
            t.ticket_status,
            t.agent_names.label("agents"),
            t.n_messages,
            t.resolution_hours,
            t.first_response_hours,
            t.ticket_rating,
        )
        .select_from(joined)
        .where(*_where(filters, search, facts, personal_data, age))
        .order_by(
            *_order_by(
                sort,
                t,
                c,
                personal_data,
                DEFAULT_SORT if age is None else OLDEST_FIRST,
            )
        )
    )


def _where(
    filters: Filters,
    search: str | None,
    facts: Facts,
    personal_data: bool,
    age: int | None = None,
) -> list:
    t = facts.tickets.c
    where = conditions(filters, facts)
    found = _search_condition(search, t, facts.customers.c, personal_data)
    if found is not None:
        where.append(found)
    if age is not None:
        opened = hours_between(t.opened_at, as_of(facts))
        where += [t.ticket_status == "open", age_bucket(opened) == age]
    return where


def tickets_page(
    conn: Connection,
    filters: Filters,
    search: str | None,
    sort: list[tuple[str, str]] | None,
    start: int,
    end: int | None,
    facts: Facts = DIRECT,
    *,
    personal_data: bool = True,
    age: int | None = None,
) -> tuple[pd.DataFrame, int]:
    """Rows [start, end) of tickets_query, and how many tickets match in all.

    `sort` is [(column, 'asc' | 'desc'), ...] over SORTABLE (an unknown column or
    direction raises SortError; None or [] means newest first); `end=None` means to
    the last row. `agents` lists the names of the agents who sent messages on the
    ticket, alphabetically, comma-separated.
    """
    if start < 0 or (end is not None and end < start):
        raise ValueError(f"bad row range [{start}, {end})")
    t, c = facts.tickets.c, facts.customers.c
    joined = facts.tickets.outerjoin(facts.customers, c.customer_id == t.customer_id)
    count = select(func.count()).select_from(joined)
    where = _where(filters, search, facts, personal_data, age)
    total = int(conn.scalar(count.where(*where)))
    stmt = tickets_query(
        filters, search, sort, facts, personal_data=personal_data, age=age
    )
    stmt = stmt.offset(start)
    if end is not None:
        stmt = stmt.limit(end - start)
    return typed(frame(conn, stmt)), total


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """A tickets_query frame with its column types, whichever engine ran it."""
    df = df.astype(
        {
            "ticket_id": "int64",
            "n_messages": "int64",
            "ticket_rating": "Int64",
            "resolution_hours": "float64",
            "first_response_hours": "float64",
        }
    )
    df["opened"] = pd.to_datetime(df["opened"])
    df["agents"] = df["agents"].fillna("")
    return df[list(COLUMNS)]


MESSAGE_COLUMNS = (
    "message_id",
    "sent_at",
    "sender_type",
    "sender_name",
    "text",
    "gap_hours",
)


def ticket_detail(
    conn: Connection,
    ticket_id: int,
    *,
    personal_data: bool = True,
    timezone: str = "UTC",
) -> tuple[dict, pd.DataFrame] | None:
    """One ticket's header and its messages in time order, from the support database;
    None when there is no such ticket.

    The header has ticket_id, customer, customer_email, customer_phone (None when
    personal data is off), ticket_category, ticket_status, ticket_rating, agents (names
    in the order they joined the conversation), opened, last_message_at, n_messages,
    resolution_hours and first_response_hours. The messages frame has MESSAGE_COLUMNS;
    gap_hours is the time since the previous message (None for the first). With
    personal data off, the text has the customer's names, emails and phone numbers
    masked (privacy.mask_message).
    """
    ticket_id = parse_ticket_id(ticket_id)
    if ticket_id is None:
        return None
    tk, cu = TICKET.c, CUSTOMER.c
    head = conn.execute(
        select(
            tk.ticket_id,
            _customer_name(cu, personal_data).label("customer"),
            cu.customer_email_address.label("customer_email"),
            cu.customer_phone_no.label("customer_phone"),
            cu.customer_first_name,
            cu.customer_last_name,
            tk.ticket_category,
            tk.ticket_status,
            tk.ticket_rating,
        )
        .select_from(TICKET.outerjoin(CUSTOMER, cu.customer_id == tk.customer_id))
        .where(tk.ticket_id == ticket_id)
    ).one_or_none()
    if head is None:
        return None
    per_ticket = direct([ticket_id]).tickets.c
    fact = conn.execute(
        select(
            per_ticket.opened_at,
            per_ticket.last_message_at,
            per_ticket.n_messages,
            per_ticket.resolution_hours,
            per_ticket.first_response_hours,
        )
    ).one()

    ag, m, s = AGENT.c, MESSAGE.c, SENDER.c
    rows = conn.execute(
        select(
            m.message_id,
            m.message_sent_time.label("sent_at"),
            s.sender_type,
            func.coalesce(
                full_name(ag.agent_first_name, ag.agent_last_name),
                _customer_name(cu, personal_data),
            ).label("sender_name"),
            m.message_text.label("text"),
            ag.agent_id,
        )
        .select_from(
            MESSAGE.join(SENDER, s.sender_id == m.sender_id)
            .outerjoin(AGENT, ag.sender_id == m.sender_id)
            .outerjoin(CUSTOMER, cu.sender_id == m.sender_id)
        )
        .where(m.ticket_id == ticket_id)
        .order_by(m.message_sent_time, m.message_id)
    ).all()
    messages = pd.DataFrame(
        [r[:5] for r in rows], columns=list(MESSAGE_COLUMNS[:5])
    ).astype({"message_id": "int64"})
    messages["sent_at"] = _local(pd.to_datetime(messages["sent_at"]), timezone)
    if not personal_data:
        names = (head.customer_first_name, head.customer_last_name)
        messages["text"] = [
            mask_message(t, names) if t else t for t in messages["text"]
        ]
    gaps = messages["sent_at"].diff().dt.total_seconds() / 3600
    messages["gap_hours"] = gaps.astype(object).where(gaps.notna(), None)

    agents: dict[int, str] = {}  # agent_id -> name, in order of first message
    for row in rows:
        if row.agent_id is not None and row.agent_id not in agents:
            agents[row.agent_id] = row.sender_name
    header = {
        "ticket_id": head.ticket_id,
        "customer": head.customer,
        "customer_email": head.customer_email if personal_data else None,
        "customer_phone": _text(head.customer_phone) if personal_data else None,
        "ticket_category": head.ticket_category,
        "ticket_status": head.ticket_status,
        "ticket_rating": head.ticket_rating,
        "agents": list(agents.values()),
        "opened": _local(fact.opened_at, timezone),
        "last_message_at": _local(fact.last_message_at, timezone),
        "n_messages": int(fact.n_messages),
        "resolution_hours": _float(fact.resolution_hours),
        "first_response_hours": _float(fact.first_response_hours),
    }
    return header, messages


def _local(times, zone: str):
    """Timestamps of the database (read as UTC) as wall-clock times in `zone`, as
    the facts store has them (a Series, or one value; None stays None)."""
    if zone == "UTC" or times is None:
        return times
    if isinstance(times, pd.Series):
        return times.dt.tz_localize("UTC").dt.tz_convert(zone).dt.tz_localize(None)
    return pd.Timestamp(times).tz_localize("UTC").tz_convert(zone).tz_localize(None)


def _text(value) -> str | None:
    return None if value is None else str(value)


def _float(value) -> float | None:
    return None if value is None else float(value)
