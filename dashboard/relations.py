"""Per-ticket facts that every report is built on, derived from the support tables.

Reports never read MESSAGE directly: they aggregate three relations holding one row per
ticket, per (ticket, agent) and per (ticket, weekday, hour). `live()` computes them in
the support database (SQL on MESSAGE, grouped by ticket); `cache.py` keeps the same rows
in the app's memory, so a dashboard view costs O(tickets), not O(messages).
"""

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    FromClause,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    case,
    func,
    select,
)

from dashboard.schema import AGENT, CUSTOMER, MESSAGE, SENDER, TICKET
from dashboard.sqlfn import hour_of_day, hours_between, weekday, year_month


@dataclass(frozen=True)
class Relations:
    """Where the reports read their facts from: live SQL or the in-memory cache."""

    tickets: FromClause
    ticket_agents: FromClause
    traffic: FromClause
    agents: FromClause
    customers: FromClause


def _ticket_facts(ticket_ids=None) -> FromClause:
    is_agent = SENDER.c.sender_type == "agent"
    sent = MESSAGE.c.message_sent_time
    per_ticket = (
        select(
            MESSAGE.c.ticket_id,
            func.min(sent).label("opened_at"),
            func.max(sent).label("last_message_at"),
            func.min(case((is_agent, sent))).label("first_response_at"),
            func.max(case((is_agent, sent))).label("last_agent_message_at"),
            func.count().label("n_messages"),
            func.count(case((is_agent, 1))).label("n_agent_messages"),
            func.count(case((is_agent, MESSAGE.c.sender_id)).distinct()).label(
                "n_agents"
            ),
        )
        .select_from(MESSAGE.join(SENDER, SENDER.c.sender_id == MESSAGE.c.sender_id))
        .group_by(MESSAGE.c.ticket_id)
    )
    if ticket_ids is not None:
        per_ticket = per_ticket.where(MESSAGE.c.ticket_id.in_(ticket_ids))
    m = per_ticket.subquery("per_ticket")
    resolved = TICKET.c.ticket_status == "resolved"
    facts = select(
        TICKET.c.ticket_id,
        TICKET.c.customer_id,
        TICKET.c.ticket_category,
        TICKET.c.ticket_status,
        TICKET.c.ticket_rating,
        m.c.opened_at,
        year_month(m.c.opened_at).label("opened_month"),
        m.c.last_message_at,
        case((resolved, year_month(m.c.last_message_at))).label("resolved_month"),
        m.c.first_response_at,
        m.c.last_agent_message_at,
        func.coalesce(m.c.n_messages, 0).label("n_messages"),
        func.coalesce(m.c.n_agent_messages, 0).label("n_agent_messages"),
        func.coalesce(m.c.n_agents, 0).label("n_agents"),
        case((resolved, hours_between(m.c.opened_at, m.c.last_message_at))).label(
            "resolution_hours"
        ),
        hours_between(m.c.opened_at, m.c.first_response_at).label(
            "first_response_hours"
        ),
    ).select_from(TICKET.outerjoin(m, m.c.ticket_id == TICKET.c.ticket_id))
    if ticket_ids is not None:
        facts = facts.where(TICKET.c.ticket_id.in_(ticket_ids))
    return facts.subquery("tickets")


def _ticket_agents(ticket_ids=None) -> FromClause:
    q = (
        select(
            MESSAGE.c.ticket_id,
            AGENT.c.agent_id,
            func.count().label("n_messages"),
        )
        .select_from(MESSAGE.join(AGENT, AGENT.c.sender_id == MESSAGE.c.sender_id))
        .group_by(MESSAGE.c.ticket_id, AGENT.c.agent_id)
    )
    if ticket_ids is not None:
        q = q.where(MESSAGE.c.ticket_id.in_(ticket_ids))
    return q.subquery("ticket_agents")


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


def live(ticket_ids=None) -> Relations:
    """The relations computed in the support database; `ticket_ids` restricts them."""
    return Relations(
        tickets=_ticket_facts(ticket_ids),
        ticket_agents=_ticket_agents(ticket_ids),
        traffic=_traffic(ticket_ids),
        agents=AGENT,
        customers=CUSTOMER,
    )


LIVE = live()

# The same relations as tables, for the in-memory cache (cache.py).
cache_metadata = MetaData()
CACHED = Relations(
    tickets=Table(
        "tickets",
        cache_metadata,
        Column("ticket_id", Integer, primary_key=True),
        Column("customer_id", Integer),
        Column("ticket_category", String, index=True),
        Column("ticket_status", String, index=True),
        Column("ticket_rating", SmallInteger),
        Column("opened_at", DateTime),
        Column("opened_month", String, index=True),
        Column("last_message_at", DateTime),
        Column("resolved_month", String),
        Column("first_response_at", DateTime),
        Column("last_agent_message_at", DateTime),
        Column("n_messages", Integer),
        Column("n_agent_messages", Integer),
        Column("n_agents", Integer),
        Column("resolution_hours", Float),
        Column("first_response_hours", Float),
        # let the percentile reports read values in order instead of sorting them
        Index("ix_tickets_resolution", "resolution_hours"),
        Index("ix_tickets_first_response", "first_response_hours"),
        Index("ix_tickets_month_resolution", "opened_month", "resolution_hours"),
        Index(
            "ix_tickets_month_first_response", "opened_month", "first_response_hours"
        ),
    ),
    ticket_agents=Table(
        "ticket_agents",
        cache_metadata,
        Column("ticket_id", Integer, primary_key=True),
        Column("agent_id", Integer, primary_key=True, index=True),
        Column("n_messages", Integer),
    ),
    traffic=Table(
        "traffic",
        cache_metadata,
        Column("ticket_id", Integer, primary_key=True),
        Column("weekday", Integer, primary_key=True),
        Column("hour", Integer, primary_key=True),
        Column("n_messages", Integer),
        # covers busiest-hours over all tickets: a scan of this index, no sort
        Index("ix_traffic_slot", "weekday", "hour", "n_messages"),
    ),
    agents=Table(
        "agents",
        cache_metadata,
        Column("agent_id", Integer, primary_key=True),
        Column("agent_first_name", String),
        Column("agent_last_name", String),
    ),
    customers=Table(
        "customers",
        cache_metadata,
        Column("customer_id", Integer, primary_key=True),
        Column("customer_email_address", String),
        Column("customer_first_name", String),
        Column("customer_last_name", String),
        Column("customer_phone_no", BigInteger),
    ),
)
