"""Every report on the tiny hand-built data set (tests/tiny.py), computed directly in
the database and through the facts store; expected values are worked out by hand."""

import math

import pytest

from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.engine.store import FactsStore
from tests import tiny


@pytest.fixture(params=["direct", "stored"])
def run(request, tiny_engine):
    """run(report_name, **filters) -> DataFrame, through either path."""
    if request.param == "direct":

        def _run(name, **f):
            with tiny_engine.connect() as conn:
                return REPORTS[name](conn, Filters(**f))

    else:
        store = FactsStore(tiny_engine)
        store.refresh()

        def _run(name, **f):
            return store.run(name, Filters(**f))

    return _run


def rows(df):
    return df.to_dict("records")


def close(a, b):
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def assert_row(actual: dict, expected: dict):
    for key, want in expected.items():
        got = actual[key]
        if isinstance(want, float) or want is None:
            assert close(got, want), f"{key}: {got} != {want}"
        else:
            assert got == want, f"{key}: {got!r} != {want!r}"


def test_rep001_resolution_time(run):
    (row,) = rows(run("resolution-time"))
    # resolved: 4, 36, 0.5 h; p90 at rank 1.8 -> 4 + 0.8 * 32
    assert_row(
        row,
        {
            "n": 3,
            "min_resolution_time": 0.5,
            "avg_resolution_time": 13.5,
            "median_resolution_time": 4.0,
            "p90_resolution_time": 29.6,
            "max_resolution_time": 36.0,
        },
    )


def test_rep002_resolution_time_with_no_tickets_gives_n_zero(run):
    (row,) = rows(run("resolution-time", category="Account access", status="resolved"))
    assert row["n"] == 0
    assert close(row["avg_resolution_time"], None)


def test_rep003_agents_per_ticket(run):
    assert rows(run("agents-per-ticket")) == [
        {"number_of_agents": 1, "number_of_tickets": 2},
        {"number_of_agents": 2, "number_of_tickets": 1},
    ]


def test_rep004_tickets_per_agent_keeps_same_names_apart(run):
    assert rows(run("tickets-per-agent")) == [
        {"agent_id": 1, "agent": "Ann Lee", "number_of_tickets": 2},
        {"agent_id": 2, "agent": "Bob Ray", "number_of_tickets": 2},
        {"agent_id": 3, "agent": "Ann Lee", "number_of_tickets": 1},
    ]


def test_rep005_tickets_per_agent_filtered_by_agent_lists_co_workers(run):
    # agent 2 worked T2 (with agent 1) and T4
    assert rows(run("tickets-per-agent", agent=2)) == [
        {"agent_id": 2, "agent": "Bob Ray", "number_of_tickets": 2},
        {"agent_id": 1, "agent": "Ann Lee", "number_of_tickets": 1},
    ]


def test_rep006_resolution_time_by_month(run):
    jan, feb = rows(run("resolution-time-by-month"))
    assert_row(
        jan,
        {
            "month": "2025-01",
            "month_name": "Jan 2025",
            "n": 2,
            "min_resolution_time": 4.0,
            "avg_resolution_time": 20.0,
            "median_resolution_time": 20.0,
            "p90_resolution_time": 32.8,
            "max_resolution_time": 36.0,
        },
    )
    assert_row(
        feb,
        {
            "month": "2025-02",
            "n": 1,
            "median_resolution_time": 0.5,
            "p90_resolution_time": 0.5,
        },
    )


def test_rep007_agent_ratings_count_each_ticket_once_per_agent(run):
    # agent 1 sent two messages on T1 (5) and one on T2 (2): 3.5, not (5+5+2)/3
    got = rows(run("agent-ratings"))
    assert [r["agent_id"] for r in got] == [3, 1, 2]
    assert_row(
        got[0],
        {
            "agent": "Ann Lee",
            "n": 1,
            "min_rating": 4,
            "avg_rating": 4.0,
            "max_rating": 4,
        },
    )
    assert_row(
        got[1],
        {
            "agent": "Ann Lee",
            "n": 2,
            "min_rating": 2,
            "avg_rating": 3.5,
            "max_rating": 5,
        },
    )
    assert_row(
        got[2],
        {
            "agent": "Bob Ray",
            "n": 1,
            "min_rating": 2,
            "avg_rating": 2.0,
            "max_rating": 2,
        },
    )


def test_rep008_first_response_time(run):
    jan, feb = rows(run("first-response-time"))
    assert_row(
        jan,
        {
            "month": "2025-01",
            "n": 2,
            "min_first_response": 1.0,
            "avg_first_response": 3.5,
            "median_first_response": 3.5,
            "p90_first_response": 5.5,
            "max_first_response": 6.0,
        },
    )
    # T3 0.5 h, T4 2 h; T5 is unanswered and not counted
    assert_row(
        feb,
        {
            "month": "2025-02",
            "n": 2,
            "min_first_response": 0.5,
            "avg_first_response": 1.25,
            "median_first_response": 1.25,
            "p90_first_response": 1.85,
            "max_first_response": 2.0,
        },
    )


def test_rep009_ticket_volume(run):
    assert rows(run("ticket-volume")) == [
        {"month": "2025-01", "month_name": "Jan 2025", "opened": 2, "resolved": 2},
        {"month": "2025-02", "month_name": "Feb 2025", "opened": 3, "resolved": 1},
    ]


def test_rep010_categories(run):
    got = rows(run("categories"))
    assert [r["ticket_category"] for r in got] == [
        "Bug report",
        "Account access",
        "Wrong order",
    ]
    assert_row(
        got[0],
        {
            "tickets": 3,
            "open_tickets": 1,
            "avg_resolution_time": 20.0,
            "avg_rating": 3.5,
        },
    )
    assert_row(
        got[1],
        {
            "tickets": 1,
            "open_tickets": 1,
            "avg_resolution_time": None,
            "avg_rating": None,
        },
    )
    assert_row(
        got[2],
        {
            "tickets": 1,
            "open_tickets": 0,
            "avg_resolution_time": 0.5,
            "avg_rating": 4.0,
        },
    )


def test_rep011_rating_distribution(run):
    df = run("rating-distribution")
    assert df["rating"].tolist() == [1, 2, 3, 4, 5]
    assert df["tickets"].tolist() == [0, 1, 0, 1, 1]
    assert df["share"].tolist() == pytest.approx([0, 1 / 3, 0, 1 / 3, 1 / 3])
    assert df["csat"].tolist() == pytest.approx([2 / 3] * 5)


def test_rep012_busiest_hours(run):
    got = {
        (r["weekday_name"], r["hour"]): r["number_of_messages"]
        for r in rows(run("busiest-hours"))
    }
    assert got == {
        ("Mon", 9): 3,
        ("Mon", 10): 1,
        ("Mon", 11): 1,
        ("Mon", 13): 1,
        ("Tue", 15): 1,
        ("Thu", 10): 1,
        ("Thu", 12): 1,
        ("Fri", 8): 1,
        ("Fri", 9): 1,
        ("Fri", 14): 1,
        ("Sat", 8): 1,
        ("Sat", 20): 1,
    }


def test_rep013_busiest_hours_filtered(run):
    got = rows(run("busiest-hours", category="Wrong order"))
    assert [(r["weekday"], r["hour"], r["number_of_messages"]) for r in got] == [
        (0, 9, 2)
    ]


def test_rep014_backlog(run):
    (row,) = rows(run("backlog"))
    # T4 has waited from Fri 02-21 09:00 to the newest message, Tue 02-25 15:00: 102 h
    assert_row(
        row,
        {
            "open_tickets": 2,
            "never_answered": 1,
            "waiting_on_agent": 2,
            "waiting_on_customer": 0,
            "oldest_wait_hours": 102.0,
        },
    )
    # Bob's answer on T4 leaves it waiting on the customer (T5 is Feb's other)
    (agent,) = rows(run("backlog", agent=2))
    assert (agent["waiting_on_agent"], agent["waiting_on_customer"]) == (1, 0)


def test_rep015_backlog_waiting_on_the_customer(tiny_engine):
    with tiny_engine.begin() as conn:  # Bob answers T4's last message
        tiny.add_message(conn, 4, 2, "2025-02-21 10:00")
    store = FactsStore(tiny_engine)
    store.refresh()
    with tiny_engine.connect() as conn:
        direct = REPORTS["backlog"](conn, Filters())
    for df in (direct, store.run("backlog", Filters())):
        (row,) = rows(df)
        assert (row["waiting_on_agent"], row["waiting_on_customer"]) == (1, 1)
        assert close(row["oldest_wait_hours"], 0.0)  # only T5 waits, since 15:00


def test_rep016_open_by_age(run):
    # as of the newest message, Tue 02-25 15:00: T4 opened Thu 02-20 10:00 (125 h),
    # T5 at 15:00 itself (0 h)
    assert rows(run("open-by-age")) == [
        {"age": 0, "age_name": "< 1 h", "ticket_category": "Bug report", "tickets": 1},
        {
            "age": 4,
            "age_name": "> 3 d",
            "ticket_category": "Account access",
            "tickets": 1,
        },
    ]
    assert rows(run("open-by-age", status="resolved")) == []


def test_rep017_agent_leaderboard(run):
    got = {r["agent_id"]: r for r in rows(run("agent-leaderboard"))}
    assert list(got) == [1, 2, 3]  # most tickets first, then by id
    # Ann #1: T1 (first reply 1 h, resolved in 4 h, 2 replies, 5 stars) and T2
    # (first reply 6 h, 36 h, 1 reply, 2 stars)
    assert_row(
        got[1],
        {
            "agent": "Ann Lee",
            "tickets": 2,
            "resolved_tickets": 2,
            "median_first_response": 3.5,
            "median_resolution_time": 20.0,
            "replies_per_ticket": 1.5,
            "rated": 2,
            "avg_rating": 3.5,
            "csat": 0.5,
        },
    )
    # Bob: T2 (Ann answered first; 1 reply; 2 stars) and open T4 (first reply 2 h)
    assert_row(
        got[2],
        {
            "tickets": 2,
            "resolved_tickets": 1,
            "median_first_response": 2.0,
            "median_resolution_time": 36.0,
            "replies_per_ticket": 1.0,
            "rated": 1,
            "avg_rating": 2.0,
            "csat": 0.0,
        },
    )
    # Ann #3: T3, answered in half an hour and resolved with it, 4 stars
    assert_row(
        got[3],
        {
            "tickets": 1,
            "median_first_response": 0.5,
            "median_resolution_time": 0.5,
            "avg_rating": 4.0,
            "csat": 1.0,
        },
    )
    opened_in_feb = rows(run("agent-leaderboard", month="2025-02"))
    assert [(r["agent_id"], r["tickets"]) for r in opened_in_feb] == [(2, 1), (3, 1)]
    assert close(opened_in_feb[0]["median_resolution_time"], None)  # T4 is open


def test_rep018_reports_over_time_by_day(run):
    volume = rows(run_by(run, "ticket-volume", "day"))
    assert [(r["day"], r["opened"], r["resolved"]) for r in volume] == [
        ("2025-01-06", 1, 1),
        ("2025-01-10", 1, 0),
        ("2025-01-11", 0, 1),  # T2's last message
        ("2025-02-03", 1, 1),
        ("2025-02-20", 1, 0),
        ("2025-02-25", 1, 0),
    ]
    assert volume[0]["day_name"] == "Jan 6, 2025"
    spread = rows(run_by(run, "resolution-time-by-month", "day"))
    assert [(r["day"], r["n"], r["median_resolution_time"]) for r in spread] == [
        ("2025-01-06", 1, 4.0),
        ("2025-01-10", 1, 36.0),
        ("2025-02-03", 1, 0.5),
    ]


def run_by(run, name: str, by: str):
    """`run` for a report over time kept by `by` (the fixture passes filters)."""
    report = REPORTS[name]
    REPORTS[name] = lambda conn, f, *facts: report(conn, f, *facts, by=by)
    try:
        return run(name)
    finally:
        REPORTS[name] = report


@pytest.mark.parametrize(
    ("filters", "period"),
    [
        ({}, "day"),  # 6 Jan to 25 Feb: 50 days
        ({"month": "2025-01"}, "day"),
        ({"category": "Wrong order"}, "day"),
        ({"month": "2024-12"}, "day"),
        ({"status": "resolved"}, "day"),
    ],
)
def test_rep019_period_follows_the_span_of_the_tickets(tiny_engine, filters, period):
    from dashboard.data.reports import period as choose

    with tiny_engine.connect() as conn:
        assert choose(conn, Filters(**filters)) == period


def test_rep020_period_is_months_beyond_two_months(tiny_engine):
    from dashboard.data.reports import period as choose

    with tiny_engine.begin() as conn:  # a reply in May on T5 does not move opening
        tiny.add_message(conn, 5, 2, "2025-05-01 09:00")
        # opened 85 days after T1
        tiny.add_ticket(conn, 6, 1, [(11, "2025-04-01 09:00")], "Bug report")
    with tiny_engine.connect() as conn:
        assert choose(conn, Filters()) == "month"
        assert choose(conn, Filters(month="2025-04")) == "day"


def test_rep021_summary(run):
    (row,) = rows(run("summary"))
    assert_row(
        row,
        {
            "tickets": 5,
            "open_tickets": 2,
            "resolved_share": 0.6,
            "avg_resolution_time": 13.5,
            "median_resolution_time": 4.0,
            "p90_resolution_time": 29.6,
            "median_first_response": 1.5,  # of 0.5, 1, 2, 6
            "replies_per_resolved": 5 / 3,
            "one_touch_share": 1 / 3,
            "avg_rating": 11 / 3,
            "csat": 2 / 3,
            "multi_agent_share": 1 / 3,
            "resolved_tickets": 3,
            "rated_tickets": 3,
            "answered_tickets": 4,  # T1-T4: T5 has no reply yet
        },
    )


@pytest.mark.slow  # computes for seconds
@pytest.mark.parametrize(
    ("filters", "tickets"),
    [
        ({}, 5),
        ({"month": "2025-01"}, 2),
        ({"month": "2025-02"}, 3),
        ({"month": "2024-12"}, 0),
        ({"agent": 1}, 2),
        ({"agent": 2}, 2),
        ({"agent": 99}, 0),
        ({"category": "Bug report"}, 3),
        ({"status": "open"}, 2),
        ({"month": "2025-02", "category": "Bug report"}, 1),
        ({"agent": 1, "status": "resolved", "month": "2025-01"}, 2),
        ({"agent": 3, "category": "Bug report"}, 0),
    ],
)
def test_rep022_summary_ticket_count_per_filter_combination(run, filters, tickets):
    (row,) = rows(run("summary", **filters))
    assert row["tickets"] == tickets


def test_rep023_every_report_survives_an_empty_selection(run):
    for name in REPORTS:
        df = run(name, month="1999-01")
        assert df is not None, name
