"""web/view_data.py, the UI's door to the facts store, and the loader that fills it, on
the tiny hand-built data set (tests/tiny.py: agents 1 and 3 are both "Ann Lee";
tickets in Jan and Feb 2025)."""

from datetime import datetime

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from dashboard.data.filters import Filters
from dashboard.data.reports import OVER_TIME, PER_AGENT
from dashboard.data.schema import metadata
from dashboard.engine.loader import Loader
from dashboard.engine.store import FactsStore
from dashboard.ui.charts import CHARTS, QUEUE
from dashboard.web import view_data
from tests import tiny


@pytest.mark.parametrize(
    ("month", "before"),
    [("2025-03", "2025-02"), ("2025-01", "2024-12"), ("2025-10", "2025-09")],
)
def test_snap001_previous_month(month, before):
    assert view_data.previous_month(month) == before


def test_snap002_agent_labels_disambiguate_shared_names():
    rows = [(3, "Ann", "Lee"), (2, "bob", "Ray"), (1, "Ann", "Lee")]
    assert view_data.agent_choices(rows) == (
        (1, "Ann Lee (#1)"),
        (3, "Ann Lee (#3)"),
        (2, "bob Ray"),
    )


def test_snap003_choices_from_the_store(tiny_engine):
    store = FactsStore(tiny_engine)
    assert view_data.choices(store) == view_data.Choices()  # nothing read yet
    assert view_data.Choices().agent_ids is None
    store.refresh()
    choices = view_data.choices(store)
    assert choices.months == ("2025-01", "2025-02")
    assert choices.agents == ((1, "Ann Lee (#1)"), (3, "Ann Lee (#3)"), (2, "Bob Ray"))
    assert choices.agent_ids == {1, 2, 3}
    assert choices.agent_label(3) == "Ann Lee (#3)"


def test_snap004_load_runs_each_report_once_on_one_version(tiny_engine, monkeypatch):
    from dashboard.data.reports import REPORTS

    store = FactsStore(tiny_engine)
    store.refresh()
    calls, reads = [], []
    for name, report in list(REPORTS.items()):
        monkeypatch.setitem(
            REPORTS,
            name,
            lambda conn, f, facts, n=name, r=report, **kw: (
                calls.append((n, f)) or r(conn, f, facts, **kw)
            ),
        )
    view_data.choices(store)  # read once per data version, apart from the reports
    read_all = store.read_all
    monkeypatch.setattr(store, "read_all", lambda q: reads.append(q) or read_all(q))

    data = view_data.load(store, Filters(month="2025-02"))
    assert data.error is None
    assert not data.stale
    assert set(data.frames) == set(view_data.SHOWN_REPORTS)
    names = [name for name, _ in calls]
    assert sorted(names) == sorted([*view_data.SHOWN_REPORTS, "summary"])
    assert ("summary", Filters(month="2025-01")) in calls  # the previous month
    assert len(reads) == 1  # every report sees the same data (test_store)
    # and the two months' tickets the KPI changes are tested on, in the same read
    assert set(reads[0]) == {
        *view_data.SHOWN_REPORTS,
        "previous",
        "samples",
        "previous_samples",
    }
    now, then = data.samples
    assert (len(now), len(then)) == (3, 2)  # a row per ticket of each month
    assert data.period == "day"  # one month: the charts over time go by day
    # February: T3 (resolved), T4 and T5 (open); January: T1 and T2.
    assert int(data.frames["summary"].tickets[0]) == 3
    assert int(data.previous.tickets[0]) == 2
    assert data.newest_message_at == datetime(2025, 2, 25, 15, 0)
    # Independently of view_data's own list: the page shows the KPIs, ten charts,
    # the backlog, the open-by-age queue and the leaderboard, written out by hand.
    page = {
        "summary",
        "ticket-volume",
        "resolution-time-by-month",
        "resolution-time",
        "first-response-time",
        "agents-per-ticket",
        "categories",
        "rating-distribution",
        "tickets-per-agent",
        "agent-ratings",
        "busiest-hours",
        "backlog",
        "open-by-age",
        "agent-leaderboard",
    }
    assert set(data.frames) == page
    assert sorted(names) == sorted([*page, "summary"])
    # February by hand: one ticket each in Wrong order, Account access, Bug report.
    categories = data.frames["categories"]
    assert dict(zip(categories.ticket_category, categories.tickets, strict=True)) == {
        "Account access": 1,
        "Bug report": 1,
        "Wrong order": 1,
    }

    calls.clear()
    data = view_data.load(store, Filters(category="Bug report"))
    assert data.previous is None
    assert len(calls) == len(view_data.SHOWN_REPORTS)


def test_snap005_missing_schema_then_recovery(tmp_path):
    url = make_url(f"sqlite:///{tmp_path / 'empty.db'}")
    engine = create_engine(url)
    loader = Loader(FactsStore(engine), url, interval=0)
    assert loader.check() is False
    data = view_data.load(loader.store, Filters(), loader.error)
    assert data.frames == {}
    assert not data.choices.loaded
    assert data.error == "The database is missing the support tables."

    metadata.create_all(engine)
    with engine.begin() as conn:
        tiny.build(conn)
    assert loader.check() is True
    data = view_data.load(loader.store, Filters(), loader.error)
    assert data.error is None
    assert int(data.frames["summary"].tickets[0]) == 5
    engine.dispose()


def test_snap006_unreachable_database_keeps_the_last_data(tiny_engine):
    store = FactsStore(tiny_engine)
    loader = Loader(store, None, interval=0)
    loader.check()
    down = make_url("mysql+pymysql://nobody@127.0.0.1:1/support")
    store.source = create_engine(down, connect_args={"connect_timeout": 2})
    loader.url = down
    assert loader.check() is False
    data = view_data.load(store, Filters(), loader.error)
    assert data.error == "The database server cannot be reached."
    assert data.stale
    assert int(data.frames["summary"].tickets[0]) == 5


def test_snap007_the_loader_loads_in_the_background_and_reports_progress(
    monkeypatch,
):
    """The first load runs in the loader's thread; meanwhile the store says what it
    is doing."""
    from dashboard.data.db import make_engine

    engine = make_engine(None)  # an in-memory SQLite that threads share
    metadata.create_all(engine)
    with engine.begin() as conn:
        tiny.build(conn)
    store = FactsStore(engine)
    seen = []
    report = store._report

    def spy(*args):
        report(*args)
        seen.append(store.progress)

    monkeypatch.setattr(store, "_report", spy)
    loader = Loader(store, None, interval=0)
    assert store.fingerprint is None
    assert store.progress.step == ""
    loader.start()
    try:
        assert loader.wait(10) or store.fingerprint is not None
    finally:
        loader.stop()
    assert store.fingerprint is not None
    assert store.progress.step == ""
    steps = [p.step for p in seen]
    assert {"people", "customers", "tickets", "messages"} <= set(steps)
    tickets = [p for p in seen if p.step == "tickets"]
    assert tickets[-1].total == 5
    assert tickets[0].done <= tickets[-1].done
    assert view_data.load(store, Filters()).frames["summary"].tickets[0] == 5


def test_snap008_the_page_fetches_every_chart_and_keeps_the_trends_by_period():
    charts = {c.report for c in (*CHARTS, QUEUE)}
    assert charts <= set(view_data.SHOWN_REPORTS)
    assert {"summary", "backlog", "agent-leaderboard"} <= set(view_data.SHOWN_REPORTS)
    # the charts over time, and no other report, take the period
    assert {
        "ticket-volume",
        "resolution-time-by-month",
        "first-response-time",
    } == OVER_TIME
    assert {c.report for c in CHARTS if c.drill == "agent"} <= PER_AGENT
