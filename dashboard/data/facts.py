"""Per-ticket facts that every report is built on, derived from the support tables.

Reports never read MESSAGE directly: they aggregate facts holding one row per ticket,
per (ticket, agent) and per (ticket, weekday, hour). `direct()` computes them in the
support database (SQL on MESSAGE, grouped by ticket); the facts store (engine/store.py)
computes the same rows with the same queries in the app's own DuckDB and keeps them in
the tables `STORED` names, so a dashboard view costs O(tickets), not O(messages).
"""

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Double,
    FromClause,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    and_,
    case,
    func,
    literal,
    select,
)

from dashboard.data.dialect import (
    calendar_day,
    hour_of_day,
    hours_between,
    name_list,
    weekday,
    year_month,
)
from dashboard.data.schema import AGENT, CUSTOMER, MESSAGE, SENDER, TICKET


@dataclass(frozen=True)
class Facts:
    """Where the reports read their facts from: SQL directly on the support tables
    (`DIRECT`) or the facts store's tables (`STORED`).

    `tickets` holds every per-ticket fact; `tickets_with(names)` may hold just the
    named ones, which lets direct SQL skip aggregates a report does not use.
    `agent_tickets` pairs (ticket_id, agent_id) like `ticket_agents` but may repeat a
    pair (direct SQL: one row per message, which the database reads straight off an
    index): count DISTINCT tickets over it.
    """

    tickets: FromClause
    tickets_with: Callable[[Collection[str]], FromClause]
    ticket_agents: FromClause
    agent_tickets: FromClause
    traffic: FromClause
    agents: FromClause
    customers: FromClause


TICKET_COLUMNS = (
    "ticket_id",
    "customer_id",
    "ticket_category",
    "ticket_status",
    "ticket_rating",
)


def _message_aggregates(agents_only: bool) -> dict:
    """Per-ticket aggregates over MESSAGE; those in _NEEDS_SENDER read agents' messages.
    `agents_only`: the rows are agents' messages already (a smaller scan), no CASE."""
    sent = MESSAGE.c.message_sent_time

    def by_agent(value):
        return value if agents_only else case((SENDER.c.sender_type == "agent", value))

    return {
        "opened_at": func.min(sent),
        "last_message_at": func.max(sent),
        "n_messages": func.count(),
        "first_response_at": func.min(by_agent(sent)),
        "last_agent_message_at": func.max(by_agent(sent)),
        "n_agent_messages": func.count(by_agent(literal(1))),
        "n_agents": func.count(by_agent(MESSAGE.c.sender_id).distinct()),
    }


_NEEDS_SENDER = {
    "first_response_at",
    "last_agent_message_at",
    "n_agent_messages",
    "n_agents",
}
_COUNTS = {"n_messages", "n_agent_messages", "n_agents"}
# facts computed from the aggregates, and the aggregates each one needs
_DERIVED = {
    "opened_month": ("opened_at",),
    "opened_day": ("opened_at",),
    "resolved_month": ("last_message_at",),
    "resolved_day": ("last_message_at",),
    "resolution_hours": ("opened_at", "last_message_at"),
    "first_response_hours": ("opened_at", "first_response_at"),
}
FACT_COLUMNS = (
    *TICKET_COLUMNS,
    "opened_at",
    "opened_month",
    "opened_day",
    "last_message_at",
    "resolved_month",
    "resolved_day",
    "first_response_at",
    "last_agent_message_at",
    "n_messages",
    "n_agent_messages",
    "n_agents",
    "resolution_hours",
    "first_response_hours",
    "agent_names",
)


# C901 allowed: one SELECT built fact by fact; every report reads it, and its
# branches are the facts' definitions side by side.
def _ticket_facts(columns: Collection[str] = FACT_COLUMNS, ticket_ids=None):  # noqa: C901
    """TICKET joined with the per-ticket message aggregates that `columns` need."""
    unknown = set(columns) - set(FACT_COLUMNS)
    if unknown:
        raise KeyError(f"no per-ticket fact named {sorted(unknown)}")
    wanted = [c for c in FACT_COLUMNS if c in columns or c == "ticket_id"]
    needed_aggs = {
        c
        for c in wanted
        if c not in TICKET_COLUMNS and c not in _DERIVED and c != "agent_names"
    }
    for name in wanted:
        needed_aggs.update(_DERIVED.get(name, ()))
    agents_only = needed_aggs <= _NEEDS_SENDER
    aggregates = _message_aggregates(agents_only)
    source: FromClause = TICKET
    m = None
    if needed_aggs:
        messages: FromClause = MESSAGE
        if needed_aggs & _NEEDS_SENDER:
            on = SENDER.c.sender_id == MESSAGE.c.sender_id
            if agents_only:
                on = and_(on, SENDER.c.sender_type == "agent")
            messages = MESSAGE.join(SENDER, on)
        per_ticket = (
            select(
                MESSAGE.c.ticket_id,
                *(aggregates[a].label(a) for a in sorted(needed_aggs)),
            )
            .select_from(messages)
            .group_by(MESSAGE.c.ticket_id)
        )
        if ticket_ids is not None:
            per_ticket = per_ticket.where(MESSAGE.c.ticket_id.in_(ticket_ids))
        m = per_ticket.subquery("per_ticket")
        source = TICKET.outerjoin(m, m.c.ticket_id == TICKET.c.ticket_id)
    if "agent_names" in wanted:
        names = _agent_names(ticket_ids)
        source = source.outerjoin(names, names.c.ticket_id == TICKET.c.ticket_id)
    resolved = TICKET.c.ticket_status == "resolved"

    def fact(name):
        if name in TICKET_COLUMNS:
            return TICKET.c[name]
        if name == "agent_names":
            return func.coalesce(names.c.agent_names, "").label(name)
        assert m is not None  # every other fact is, or is built on, an aggregate
        if name in _COUNTS:
            return func.coalesce(m.c[name], 0).label(name)
        if name == "opened_month":
            return year_month(m.c.opened_at).label(name)
        if name == "opened_day":
            return calendar_day(m.c.opened_at).label(name)
        if name == "resolved_month":
            return case((resolved, year_month(m.c.last_message_at))).label(name)
        if name == "resolved_day":
            return case((resolved, calendar_day(m.c.last_message_at))).label(name)
        if name == "resolution_hours":
            hours = hours_between(m.c.opened_at, m.c.last_message_at)
            return case((resolved, hours)).label(name)
        if name == "first_response_hours":
            return hours_between(m.c.opened_at, m.c.first_response_at).label(name)
        return m.c[name]

    facts = select(*(fact(c) for c in wanted)).select_from(source)
    if ticket_ids is not None:
        facts = facts.where(TICKET.c.ticket_id.in_(ticket_ids))
    return facts.subquery("tickets")


def _agent_messages(ticket_ids=None, *columns):
    """(ticket_id, agent_id, *columns) of every message an agent sent."""
    q = select(MESSAGE.c.ticket_id, AGENT.c.agent_id, *columns).select_from(
        MESSAGE.join(AGENT, AGENT.c.sender_id == MESSAGE.c.sender_id)
    )
    if ticket_ids is not None:
        q = q.where(MESSAGE.c.ticket_id.in_(ticket_ids))
    return q


def _ticket_agents(ticket_ids=None) -> FromClause:
    """One row per (ticket, agent who wrote on it): how many messages the agent
    sent there, and when the first and the last."""
    sent = MESSAGE.c.message_sent_time
    q = _agent_messages(
        ticket_ids,
        func.count().label("n_messages"),
        func.min(sent).label("first_message_at"),
        func.max(sent).label("last_message_at"),
    ).group_by(MESSAGE.c.ticket_id, AGENT.c.agent_id)
    return q.subquery("ticket_agents")


def full_name(first, last):
    """'Ann Lee' from a first and a last name column: how every report, table and
    conversation names an agent or a customer."""
    return first + literal(" ") + last


def agent_labels(agents: Iterable[tuple[int, str]]) -> list[str]:
    """(agent id, name) pairs -> the names, with ' (#id)' added where two of these
    agents share a name: how the filter, the charts and the leaderboard tell them
    apart."""
    pairs = list(agents)
    counts = Counter(name for _, name in pairs)
    return [
        f"{name} (#{int(agent_id)})" if counts[name] > 1 else name
        for agent_id, name in pairs
    ]


def _agent_names(ticket_ids=None) -> FromClause:
    """Per ticket: the names of the agents who wrote on it, 'Ann Lee, Bob Ray'."""
    pairs = _agent_messages(ticket_ids).distinct().subquery("pairs")
    name = full_name(AGENT.c.agent_first_name, AGENT.c.agent_last_name)
    sorted_pairs = (
        select(pairs.c.ticket_id, name.label("name"))
        .select_from(pairs.join(AGENT, AGENT.c.agent_id == pairs.c.agent_id))
        .order_by(pairs.c.ticket_id, name, pairs.c.agent_id)
        .subquery("named")
    )
    return (
        select(
            sorted_pairs.c.ticket_id,
            name_list(sorted_pairs.c.name).label("agent_names"),
        )
        .group_by(sorted_pairs.c.ticket_id)
        .subquery("agent_names")
    )


def _traffic(ticket_ids=None) -> FromClause:
    sent = MESSAGE.c.message_sent_time
    day, hour = weekday(sent), hour_of_day(sent)
    q = select(
        MESSAGE.c.ticket_id,
        day.label("weekday"),
        hour.label("hour"),
        func.count().label("n_messages"),
    ).group_by(MESSAGE.c.ticket_id, day, hour)
    if ticket_ids is not None:
        q = q.where(MESSAGE.c.ticket_id.in_(ticket_ids))
    return q.subquery("traffic")


def direct(ticket_ids=None) -> Facts:
    """The facts computed directly on the support tables; `ticket_ids` restricts
    them."""
    return Facts(
        tickets=_ticket_facts(FACT_COLUMNS, ticket_ids),
        tickets_with=lambda columns: _ticket_facts(columns, ticket_ids),
        ticket_agents=_ticket_agents(ticket_ids),
        agent_tickets=_agent_messages(ticket_ids).subquery("agent_tickets"),
        traffic=_traffic(ticket_ids),
        agents=AGENT,
        customers=CUSTOMER,
    )


DIRECT = direct()

# The same facts as the facts store's tables (engine/store.py), for compiling the
# reports against them. The store creates them from direct()'s queries, cast to these
# types (kept narrow: at 1000x `traffic` holds 4.6 million rows).
store_metadata = MetaData()
_STORED_TICKETS = Table(
    "tickets",
    store_metadata,
    Column("ticket_id", BigInteger, primary_key=True),
    Column("customer_id", BigInteger),
    Column("ticket_category", String),
    Column("ticket_status", String),
    Column("ticket_rating", SmallInteger),
    Column("opened_at", DateTime),
    Column("opened_month", String),
    Column("opened_day", String),
    Column("last_message_at", DateTime),
    Column("resolved_month", String),
    Column("resolved_day", String),
    Column("first_response_at", DateTime),
    Column("last_agent_message_at", DateTime),
    Column("n_messages", Integer),
    Column("n_agent_messages", Integer),
    Column("n_agents", Integer),
    Column("resolution_hours", Double),
    Column("first_response_hours", Double),
    Column("agent_names", String),
)
_STORED_TICKET_AGENTS = Table(
    "ticket_agents",
    store_metadata,
    Column("ticket_id", BigInteger, primary_key=True),
    Column("agent_id", BigInteger, primary_key=True),
    Column("n_messages", Integer),
    Column("first_message_at", DateTime),
    Column("last_message_at", DateTime),
)
STORED = Facts(
    tickets=_STORED_TICKETS,
    tickets_with=lambda columns: _STORED_TICKETS,
    ticket_agents=_STORED_TICKET_AGENTS,
    agent_tickets=_STORED_TICKET_AGENTS,
    traffic=Table(
        "traffic",
        store_metadata,
        Column("ticket_id", BigInteger, primary_key=True),
        Column("weekday", SmallInteger, primary_key=True),
        Column("hour", SmallInteger, primary_key=True),
        Column("n_messages", Integer),
    ),
    agents=Table(
        "agents",
        store_metadata,
        Column("agent_id", BigInteger, primary_key=True),
        Column("agent_first_name", String),
        Column("agent_last_name", String),
    ),
    customers=Table(
        "customers",
        store_metadata,
        Column("customer_id", BigInteger, primary_key=True),
        Column("customer_email_address", String),
        Column("customer_first_name", String),
        Column("customer_last_name", String),
        Column("customer_phone_no", String),
    ),
)
