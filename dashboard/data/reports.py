"""One pure function per report: (connection, filters, facts) -> DataFrame.

The database does the aggregation (one SQL statement per report, bound parameters only);
pandas only labels and fills the few rows that come back. Each docstring is the report's
definition in a support lead's words: the CLI, the dashboard and the README show it.
"""

import calendar
import inspect
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Select, and_, case, func, literal, or_, select, union_all

from dashboard.data.dialect import hours_between, real
from dashboard.data.facts import DIRECT, Facts, full_name
from dashboard.data.filters import Filters, columns_needed, conditions, ticket_ids
from dashboard.data.reader import Source, frame

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def month_name(month: str | None) -> str | None:
    """'2025-03' -> 'Mar 2025'."""
    if not month:
        return None
    year, number = month.split("-")
    return f"{calendar.month_abbr[int(number)]} {year}"


def day_name(day: str | None) -> str | None:
    """'2025-03-04' -> 'Mar 4, 2025'."""
    if not day:
        return None
    year, number, date = day.split("-")
    return f"{calendar.month_abbr[int(number)]} {int(date)}, {year}"


# The periods a report over time can be kept in: the per-ticket facts each one
# reads (opened, resolved), and how a period is written out.
PERIODS = {
    "month": ("opened_month", "resolved_month", month_name),
    "day": ("opened_day", "resolved_day", day_name),
}


DAYS_BY_DAY = 62  # covered tickets opened within this many days: charts by day


def period(conn: Source, filters: Filters, facts: Facts = DIRECT) -> str:
    """The period the reports over time are best kept in for these filters: 'day'
    for one month (or any stretch of up to DAYS_BY_DAY days), else 'month'."""
    if filters.month:
        return "day"
    c = _covered(filters, facts, ("opened_at",))
    span = frame(conn, select(func.min(c.c.opened_at), func.max(c.c.opened_at)))
    first, last = span.iloc[0]
    if pd.isna(first) or pd.isna(last):
        return "month"
    days = (pd.Timestamp(last) - pd.Timestamp(first)).days
    return "day" if days < DAYS_BY_DAY else "month"


def _with_period_names(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Name the first column `month` (or `day`) and add `month_name` beside it."""
    df = df.rename(columns={df.columns[0]: by})
    df.insert(1, f"{by}_name", df[by].map(PERIODS[by][2]))
    return df


def _quantile(v, rn, cnt, percent: int):
    """Continuous percentile (linear interpolation, as numpy's default) of ranked rows.

    Integer arithmetic (`//`) picks the two neighbouring ranks, so it is exact and the
    same on SQLite and MySQL; no database here has PERCENTILE_CONT as an aggregate.
    """
    scaled = (cnt - 1) * percent
    lower = scaled // 100
    frac = (scaled - lower * 100) / 100.0
    return func.sum(
        case((rn - 1 == lower, v * (1 - frac)), (rn - 1 == lower + 1, v * frac))
    )


def _spread(conn: Source, rows, value: str, by: tuple[str, ...], suffix: str) -> Select:
    """n, min, avg, median, p90 and max of `rows.c[value]` per group `by`, in order;
    groups without any value are left out.

    DuckDB has continuous percentiles as aggregates (quantile_cont, the same linear
    interpolation); SQLite and MySQL get them from ranked rows (_quantile)."""
    groups = [rows.c[g] for g in by]
    v = rows.c[value]
    if conn.dialect.name == "duckdb":
        return (
            select(
                *groups,
                func.count().label("n"),
                func.min(v).label(f"min_{suffix}"),
                func.avg(v).label(f"avg_{suffix}"),
                func.quantile_cont(v, 0.5).label(f"median_{suffix}"),
                func.quantile_cont(v, 0.9).label(f"p90_{suffix}"),
                func.max(v).label(f"max_{suffix}"),
            )
            .where(v.is_not(None))
            .group_by(*groups)
            .order_by(*groups)
        )
    part = groups or None
    ranked = (
        select(
            *groups,
            v.label("v"),
            func.row_number().over(partition_by=part, order_by=v).label("rn"),
            func.count().over(partition_by=part).label("cnt"),
        )
        .where(v.is_not(None))
        .subquery("ranked")
    )
    r = ranked.c
    keys = [r[g] for g in by]
    return (
        select(
            *keys,
            func.count().label("n"),
            func.min(r.v).label(f"min_{suffix}"),
            func.avg(real(r.v)).label(f"avg_{suffix}"),
            _quantile(r.v, r.rn, r.cnt, 50).label(f"median_{suffix}"),
            _quantile(r.v, r.rn, r.cnt, 90).label(f"p90_{suffix}"),
            func.max(r.v).label(f"max_{suffix}"),
        )
        .group_by(*keys)
        .order_by(*keys)
    )


def _covered(filters: Filters, facts: Facts, columns: tuple[str, ...], status=None):
    """The covered tickets' `columns` (and only those: direct SQL then computes no other
    per-ticket fact), optionally only tickets with `status`."""
    needed = {*columns, *columns_needed(filters)} | (
        {"ticket_status"} if status else set()
    )
    t = facts.tickets_with(needed)
    where = conditions(filters, facts, t)
    if status:
        where.append(t.c.ticket_status == status)
    return select(*(t.c[k] for k in columns)).where(*where).subquery("covered")


def _agent_name(a):
    return full_name(a.c.agent_first_name, a.c.agent_last_name).label("agent")


def resolution_time(
    conn: Source, filters: Filters, facts: Facts = DIRECT
) -> pd.DataFrame:
    """Resolution time of resolved tickets: hours from a ticket's first message to its
    last. One row: n (tickets), min, average, median, 90th percentile and max."""
    c = _covered(filters, facts, ("resolution_hours",), status="resolved")
    return frame(conn, _spread(conn, c, "resolution_hours", (), "resolution_time"))


def agents_per_ticket(
    conn: Source, filters: Filters, facts: Facts = DIRECT
) -> pd.DataFrame:
    """How many different agents sent messages on each resolved ticket, and how many
    tickets had that many."""
    c = _covered(filters, facts, ("n_agents",), status="resolved")
    stmt = (
        select(
            c.c.n_agents.label("number_of_agents"),
            func.count().label("number_of_tickets"),
        )
        .group_by(c.c.n_agents)
        .order_by(c.c.n_agents)
    )
    return frame(conn, stmt)


def tickets_per_agent(
    conn: Source, filters: Filters, facts: Facts = DIRECT
) -> pd.DataFrame:
    """Tickets each agent worked on: tickets on which the agent sent at least one
    message, whatever their status. Most tickets first."""
    at, a = facts.agent_tickets, facts.agents
    counts = select(
        at.c.agent_id, func.count(at.c.ticket_id.distinct()).label("number_of_tickets")
    )
    ids = ticket_ids(filters, facts)
    if ids is not None:
        counts = counts.where(at.c.ticket_id.in_(ids))
    # count per agent id first, then look the names up: no grouping by name
    per_agent = counts.group_by(at.c.agent_id).subquery("per_agent")
    stmt = (
        select(a.c.agent_id, _agent_name(a), per_agent.c.number_of_tickets)
        .select_from(per_agent.join(a, a.c.agent_id == per_agent.c.agent_id))
        .order_by(per_agent.c.number_of_tickets.desc(), a.c.agent_id)
    )
    return frame(conn, stmt)


def resolution_time_by_month(
    conn: Source, filters: Filters, facts: Facts = DIRECT, by: str = "month"
) -> pd.DataFrame:
    """Resolution time of resolved tickets per calendar month in which they were opened
    (month of the first message): n, min, average, median, 90th percentile and max
    hours, oldest month first."""
    opened = PERIODS[by][0]
    c = _covered(filters, facts, (opened, "resolution_hours"), status="resolved")
    stmt = _spread(conn, c, "resolution_hours", (opened,), "resolution_time")
    return _with_period_names(frame(conn, stmt), by)


def agent_ratings(
    conn: Source, filters: Filters, facts: Facts = DIRECT
) -> pd.DataFrame:
    """Customer ratings (1-5) of the tickets each agent worked on. Each rated ticket
    counts once per agent who sent a message on it, however many messages that was.
    Best average first."""
    t = facts.tickets_with({"ticket_rating", *columns_needed(filters)})
    ta, a = facts.ticket_agents, facts.agents
    stmt = (
        select(
            a.c.agent_id,
            _agent_name(a),
            func.count().label("n"),
            func.min(t.c.ticket_rating).label("min_rating"),
            func.avg(real(t.c.ticket_rating)).label("avg_rating"),
            func.max(t.c.ticket_rating).label("max_rating"),
        )
        .select_from(
            ta.join(a, a.c.agent_id == ta.c.agent_id).join(
                t, t.c.ticket_id == ta.c.ticket_id
            )
        )
        .where(t.c.ticket_rating.is_not(None), *conditions(filters, facts, t))
        .group_by(a.c.agent_id, a.c.agent_first_name, a.c.agent_last_name)
        .order_by(func.avg(t.c.ticket_rating).desc(), a.c.agent_id)
    )
    return frame(conn, stmt)


def first_response_time(
    conn: Source, filters: Filters, facts: Facts = DIRECT, by: str = "month"
) -> pd.DataFrame:
    """First response time: hours from the customer's first message to the first agent
    reply, per month the ticket was opened, for tickets an agent has answered:
    n, min, average, median, 90th percentile and max."""
    opened = PERIODS[by][0]
    c = _covered(filters, facts, (opened, "first_response_hours"))
    stmt = _spread(conn, c, "first_response_hours", (opened,), "first_response")
    return _with_period_names(frame(conn, stmt), by)


def ticket_volume(
    conn: Source, filters: Filters, facts: Facts = DIRECT, by: str = "month"
) -> pd.DataFrame:
    """Tickets opened per month (month of the first message) and tickets resolved per
    month (month of the last message of a resolved ticket)."""
    opened, resolved = PERIODS[by][:2]
    c = _covered(filters, facts, (opened, resolved))
    events = union_all(
        select(
            c.c[opened].label("month"),
            literal(1).label("opened"),
            literal(0).label("resolved"),
        ).where(c.c[opened].is_not(None)),
        select(c.c[resolved], literal(0), literal(1)).where(c.c[resolved].is_not(None)),
    ).subquery("events")
    stmt = (
        select(
            events.c.month,
            func.sum(events.c.opened).label("opened"),
            func.sum(events.c.resolved).label("resolved"),
        )
        .group_by(events.c.month)
        .order_by(events.c.month)
    )
    df = _with_period_names(frame(conn, stmt), by)
    return df.astype({"opened": int, "resolved": int})


def categories(conn: Source, filters: Filters, facts: Facts = DIRECT) -> pd.DataFrame:
    """Per ticket category: tickets, of which still open, average resolution time
    (hours, resolved tickets) and average rating (rated tickets). Most tickets first."""
    c = _covered(
        filters,
        facts,
        ("ticket_category", "ticket_status", "resolution_hours", "ticket_rating"),
    )
    stmt = (
        select(
            c.c.ticket_category,
            func.count().label("tickets"),
            func.count(case((c.c.ticket_status == "open", 1))).label("open_tickets"),
            func.avg(c.c.resolution_hours).label("avg_resolution_time"),
            func.avg(real(c.c.ticket_rating)).label("avg_rating"),
        )
        .group_by(c.c.ticket_category)
        .order_by(func.count().desc(), c.c.ticket_category)
    )
    return frame(conn, stmt)


def rating_distribution(
    conn: Source, filters: Filters, facts: Facts = DIRECT
) -> pd.DataFrame:
    """How many rated tickets got each rating 1-5, their share, and CSAT: the share of
    rated tickets rated 4 or 5 (the same on every row)."""
    c = _covered(filters, facts, ("ticket_rating",))
    stmt = (
        select(c.c.ticket_rating.label("rating"), func.count().label("tickets"))
        .where(c.c.ticket_rating.is_not(None))
        .group_by(c.c.ticket_rating)
    )
    got = frame(conn, stmt)
    counts = dict(zip(got["rating"], got["tickets"], strict=True))
    df = pd.DataFrame({"rating": range(1, 6)})
    df["tickets"] = [int(counts.get(r, 0)) for r in df["rating"]]
    total = df["tickets"].sum()
    df["share"] = df["tickets"] / total if total else float("nan")
    df["csat"] = df.loc[df.rating >= 4, "tickets"].sum() / total if total else None
    return df


def busiest_hours(
    conn: Source, filters: Filters, facts: Facts = DIRECT
) -> pd.DataFrame:
    """Messages sent (by customers and agents) per weekday and hour of the day, on the
    covered tickets; only slots with messages are listed."""
    tr = facts.traffic
    stmt = select(
        tr.c.weekday,
        tr.c.hour,
        func.sum(tr.c.n_messages).label("number_of_messages"),
    )
    ids = ticket_ids(filters, facts)
    if ids is not None:
        stmt = stmt.where(tr.c.ticket_id.in_(ids))
    stmt = stmt.group_by(tr.c.weekday, tr.c.hour).order_by(tr.c.weekday, tr.c.hour)
    df = frame(conn, stmt).astype({"number_of_messages": int})
    df.insert(1, "weekday_name", df["weekday"].map(lambda d: WEEKDAYS[int(d)]))
    return df


def as_of(facts: Facts):
    """'Now' for the open tickets: the newest message in the database (the data's
    own clock, so mock or old data reads as it did then)."""
    newest = facts.tickets_with(("last_message_at",))
    return select(func.max(newest.c.last_message_at)).scalar_subquery()


def backlog(conn: Source, filters: Filters, facts: Facts = DIRECT) -> pd.DataFrame:
    """Open tickets; of those, never answered (no agent message yet), waiting on an
    agent (the last message is the customer's) and waiting on the customer (the last
    message is an agent's), and how many hours the longest-waiting one has waited for
    an agent, counted up to the newest message in the database."""
    c = _covered(
        filters,
        facts,
        ("last_message_at", "last_agent_message_at", "n_messages", "n_agent_messages"),
        status="open",
    )
    waiting = or_(
        c.c.last_agent_message_at.is_(None),
        c.c.last_agent_message_at < c.c.last_message_at,
    )
    waiting_with_messages = and_(waiting, c.c.n_messages > 0)
    answered_last = c.c.last_agent_message_at == c.c.last_message_at
    stmt = select(
        func.count().label("open_tickets"),
        func.count(case((c.c.n_agent_messages == 0, 1))).label("never_answered"),
        func.count(case((waiting_with_messages, 1))).label("waiting_on_agent"),
        func.count(case((answered_last, 1))).label("waiting_on_customer"),
        func.max(
            case(
                (
                    waiting_with_messages,
                    hours_between(c.c.last_message_at, as_of(facts)),
                )
            )
        ).label("oldest_wait_hours"),
    )
    return frame(conn, stmt)


# How old an open ticket is (hours since its first message): (label, from, to).
AGE_BUCKETS = (
    ("< 1 h", 0, 1),
    ("1–4 h", 1, 4),
    ("4–24 h", 4, 24),
    ("1–3 d", 24, 72),
    ("> 3 d", 72, None),
)


def age_bucket(age):
    """The AGE_BUCKETS index of an age in hours, as a SQL expression."""
    return case(
        *((age < upper, i) for i, (_, _, upper) in enumerate(AGE_BUCKETS) if upper),
        else_=len(AGE_BUCKETS) - 1,
    )


def open_by_age(conn: Source, filters: Filters, facts: Facts = DIRECT) -> pd.DataFrame:
    """Open tickets by age (hours since the first message, counted up to the newest
    message in the database: < 1 h, 1-4 h, 4-24 h, 1-3 d, > 3 d) and category. Only
    ages and categories with open tickets are listed, youngest first."""
    c = _covered(filters, facts, ("opened_at", "ticket_category"), status="open")
    aged = (
        select(
            age_bucket(hours_between(c.c.opened_at, as_of(facts))).label("age"),
            c.c.ticket_category,
        )
        .where(c.c.opened_at.is_not(None))
        .subquery("aged")
    )
    stmt = (
        select(aged.c.age, aged.c.ticket_category, func.count().label("tickets"))
        .group_by(aged.c.age, aged.c.ticket_category)
        .order_by(aged.c.age, aged.c.ticket_category)
    )
    df = frame(conn, stmt).astype({"age": int, "tickets": int})
    df.insert(1, "age_name", df["age"].map(lambda i: AGE_BUCKETS[i][0]))
    return df


def agent_leaderboard(
    conn: Source, filters: Filters, facts: Facts = DIRECT
) -> pd.DataFrame:
    """Per agent, over the covered tickets the agent sent a message on: tickets worked
    on, of which resolved; median first response (hours, on the tickets where this
    agent sent the first agent reply); median resolution time (hours, resolved
    tickets); the agent's replies per ticket; rated tickets, their average rating and
    CSAT (share rated 4 or 5). Most tickets first."""
    t = facts.tickets_with(
        {
            "ticket_status",
            "ticket_rating",
            "resolution_hours",
            "first_response_at",
            "first_response_hours",
            *columns_needed(filters),
        }
    )
    ta, a = facts.ticket_agents, facts.agents
    worked = (
        select(
            ta.c.agent_id,
            ta.c.n_messages,
            t.c.ticket_status,
            t.c.ticket_rating,
            t.c.resolution_hours,
            case(
                (
                    ta.c.first_message_at == t.c.first_response_at,
                    t.c.first_response_hours,
                )
            ).label("first_response_hours"),
        )
        .select_from(ta.join(t, t.c.ticket_id == ta.c.ticket_id))
        .where(*conditions(filters, facts, t))
        .subquery("worked")
    )
    w = worked.c
    resolved = w.ticket_status == "resolved"
    rated = w.ticket_rating.is_not(None)
    counts = (
        select(
            w.agent_id,
            func.count().label("tickets"),
            func.count(case((resolved, 1))).label("resolved_tickets"),
            func.avg(real(w.n_messages)).label("replies_per_ticket"),
            func.count(case((rated, 1))).label("rated"),
            func.avg(real(w.ticket_rating)).label("avg_rating"),
            (
                real(func.count(case((w.ticket_rating >= 4, 1))))
                / func.nullif(func.count(case((rated, 1))), 0)
            ).label("csat"),
        )
        .group_by(w.agent_id)
        .subquery("counts")
    )
    first = _spread(
        conn, worked, "first_response_hours", ("agent_id",), "first_response"
    ).subquery("first")
    res = (
        _spread(
            conn,
            select(w.agent_id, w.resolution_hours).where(resolved).subquery("res_rows"),
            "resolution_hours",
            ("agent_id",),
            "resolution_time",
        )
        .order_by(None)
        .subquery("res")
    )
    stmt = (
        select(
            a.c.agent_id,
            _agent_name(a),
            counts.c.tickets,
            counts.c.resolved_tickets,
            first.c.median_first_response,
            res.c.median_resolution_time,
            counts.c.replies_per_ticket,
            counts.c.rated,
            counts.c.avg_rating,
            counts.c.csat,
        )
        .select_from(
            counts.join(a, a.c.agent_id == counts.c.agent_id)
            .outerjoin(first, first.c.agent_id == counts.c.agent_id)
            .outerjoin(res, res.c.agent_id == counts.c.agent_id)
        )
        .order_by(counts.c.tickets.desc(), a.c.agent_id)
    )
    return frame(conn, stmt)


def summary(conn: Source, filters: Filters, facts: Facts = DIRECT) -> pd.DataFrame:
    """The headline numbers for the covered tickets, one row: tickets, open tickets,
    resolved share, average / median / 90th-percentile resolution time (hours), median
    first response (hours), agent replies per resolved ticket, one-touch share (resolved
    with at most one agent message), average rating, CSAT (share of rated tickets rated
    4 or 5) and multi-agent share (resolved tickets worked by two or more agents), and
    how many tickets are resolved, rated and answered (what the times and ratings are
    taken over)."""
    c = _covered(
        filters,
        facts,
        (
            "ticket_status",
            "ticket_rating",
            "n_agent_messages",
            "n_agents",
            "resolution_hours",
            "first_response_hours",
        ),
    )
    resolved = c.c.ticket_status == "resolved"
    rated = c.c.ticket_rating.is_not(None)
    n_resolved = func.count(case((resolved, 1)))
    n_rated = func.count(case((rated, 1)))

    def share(cond, of):
        return real(func.count(case((cond, 1)))) / func.nullif(of, 0)

    counts = select(
        func.count().label("tickets"),
        func.count(case((c.c.ticket_status == "open", 1))).label("open_tickets"),
        n_resolved.label("resolved_tickets"),
        n_rated.label("rated_tickets"),
        func.count(c.c.first_response_hours).label("answered_tickets"),
        (real(n_resolved) / func.nullif(func.count(), 0)).label("resolved_share"),
        func.avg(real(case((resolved, c.c.n_agent_messages)))).label(
            "replies_per_resolved"
        ),
        share(and_(resolved, c.c.n_agent_messages <= 1), n_resolved).label(
            "one_touch_share"
        ),
        func.avg(real(c.c.ticket_rating)).label("avg_rating"),
        share(and_(rated, c.c.ticket_rating >= 4), n_rated).label("csat"),
        share(and_(resolved, c.c.n_agents >= 2), n_resolved).label("multi_agent_share"),
    ).subquery("counts")
    # each part is one row; the join conditions are always true and say so to
    # SQLAlchemy's cartesian-product check (a spread counts some of the tickets)
    res = _spread(conn, c, "resolution_hours", (), "resolution_time").subquery("res")
    fr = _spread(conn, c, "first_response_hours", (), "first_response")
    fr = fr.subquery("fr")
    stmt = select(
        counts.c.tickets,
        counts.c.open_tickets,
        counts.c.resolved_share,
        res.c.avg_resolution_time,
        res.c.median_resolution_time,
        res.c.p90_resolution_time,
        fr.c.median_first_response,
        counts.c.replies_per_resolved,
        counts.c.one_touch_share,
        counts.c.avg_rating,
        counts.c.csat,
        counts.c.multi_agent_share,
        counts.c.resolved_tickets,
        counts.c.rated_tickets,
        counts.c.answered_tickets,
    ).select_from(
        counts.join(res, res.c.n <= counts.c.tickets).join(
            fr, fr.c.n <= counts.c.tickets
        )
    )
    return frame(conn, stmt)


def ticket_samples(
    conn: Source, filters: Filters, facts: Facts = DIRECT
) -> pd.DataFrame:
    """Per covered ticket, its resolution time and first response (hours, when it has
    them) and its rating: the values the KPI changes are tested on (not a report: a
    row per ticket)."""
    c = _covered(
        filters,
        facts,
        ("resolution_hours", "first_response_hours", "ticket_rating"),
    )
    return frame(
        conn,
        select(c.c.resolution_hours, c.c.first_response_hours, c.c.ticket_rating),
    )


Report = Callable[..., pd.DataFrame]

# The columns that are shares, fractions 0..1 of the tickets they are taken over: the
# CLI writes them as percentages and the page's CSV gives them in percent.
SHARES = frozenset(
    {"share", "csat", "resolved_share", "one_touch_share", "multi_agent_share"}
)

REPORTS: dict[str, Report] = {
    "resolution-time": resolution_time,
    "agents-per-ticket": agents_per_ticket,
    "tickets-per-agent": tickets_per_agent,
    "resolution-time-by-month": resolution_time_by_month,
    "agent-ratings": agent_ratings,
    "first-response-time": first_response_time,
    "ticket-volume": ticket_volume,
    "categories": categories,
    "rating-distribution": rating_distribution,
    "busiest-hours": busiest_hours,
    "backlog": backlog,
    "open-by-age": open_by_age,
    "agent-leaderboard": agent_leaderboard,
    "summary": summary,
}
# The reports over time: they take `by`, the period they are kept in (`period`).
OVER_TIME = frozenset(
    name
    for name, report in REPORTS.items()
    if "by" in inspect.signature(report).parameters
)
# The reports with a row per agent: the page runs them on every agent, a chosen
# agent highlighted among the team.
PER_AGENT = frozenset({"tickets-per-agent", "agent-ratings", "agent-leaderboard"})


def definition(name: str) -> str:
    """The report's definition (its docstring) as one paragraph of plain text."""
    return " ".join(REPORTS[name].__doc__.split())
