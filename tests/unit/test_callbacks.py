"""The callbacks' pure logic (next_view, render) and the callbacks themselves over
HTTP, the way the browser calls them, including forged payloads: every answer is a
200 with notices, never a server error."""

import json
import re

import pytest

from dashboard.config import Settings
from dashboard.data.filters import Filters
from dashboard.testing.callbacks import post
from dashboard.ui import ids
from dashboard.ui.charts import CHARTS
from dashboard.ui.figures import is_empty
from dashboard.web import view_data
from dashboard.web.app import create_app
from dashboard.web.callbacks import view as callbacks
from dashboard.web.callbacks.view import NO_DATA, next_view, render, status
from tests.apps import loaded_app

SYNC = f"{ids.APPLIED_FILTERS}.data"  # an output of the filters/URL callback
DATA = f"{ids.KPI_CAPTION}.children"  # an output of the KPI and charts callback
VALUES = {"month": None, "agent": None, "category": None, "status": None}


@pytest.mark.parametrize(
    ("trigger", "search", "values", "click", "filters", "controls", "url"),
    [
        (None, "?month=2025-01", VALUES, None, Filters(month="2025-01"), True, False),
        (ids.URL, "?status=open", VALUES, None, Filters(status="open"), True, False),
        (
            ids.FILTER_AGENT,
            "?status=open",
            {**VALUES, "agent": 2, "status": "open"},
            None,
            Filters(agent=2, status="open"),
            False,  # the dropdowns already show it
            True,
        ),
        (
            ids.FILTER_RESET,
            "?status=open",
            {**VALUES, "status": "open"},
            None,
            Filters(),
            True,
            True,
        ),
        (
            ids.chart("tickets-per-agent"),
            "",
            {**VALUES, "month": "2025-02"},
            ("agent", {"points": [{"customdata": [3]}]}),
            Filters(month="2025-02", agent=3),
            True,
            True,
        ),
        (
            ids.chart("categories"),
            "",
            VALUES,
            ("category", {"points": [{"customdata": ["Wrong order", "1 h"]}]}),
            Filters(category="Wrong order"),
            True,
            True,
        ),
    ],
)
def test_cb001_next_view(trigger, search, values, click, filters, controls, url):
    view = next_view(trigger, search, values, click, agents={1, 2, 3})
    assert view.parsed.filters == filters
    assert (view.set_controls, view.set_url) == (controls, url)


def test_cb002_a_refused_dropdown_value_is_cleared_with_a_notice():
    view = next_view(ids.FILTER_AGENT, "", {**VALUES, "agent": "abc"}, None)
    assert view.parsed.filters == Filters()
    assert view.set_controls
    assert view.parsed.notices


def test_cb003_render_without_data_shows_the_reason(tiny_engine):
    from dashboard.engine.store import FactsStore

    out = render(view_data.ViewData(Filters()))
    assert all(is_empty(fig) for fig in out["figures"].values())
    texts = {f["layout"]["annotations"][0]["text"] for f in out["figures"].values()}
    assert texts == {NO_DATA}
    assert set(out["kpi_values"].values()) == {"—"}
    unread = status(FactsStore(tiny_engine), "The database server cannot be reached.")
    assert unread["db_alert"].color == "danger"
    assert unread["freshness"] == "No data yet"


# ------------------------------------------------------------- over HTTP


@pytest.fixture(scope="module")
def client():
    from seeds.demo import open_engine

    return loaded_app(Settings(), engine=open_engine(None, 42)).server.test_client()


@pytest.fixture(scope="module")
def deps(client):
    return client.get("/_dash-dependencies").get_json()


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        ("filter-agent.value", "abc"),
        ("filter-agent.value", -5),
        ("filter-agent.value", 10**30),
        ("filter-month.value", "x" * 100_000),
        ("filter-month.value", ["2025-03", "2025-04"]),
        ("filter-category.value", {"$ne": None}),
        ("filter-status.value", True),
    ],
)
def test_cb010_forged_dropdown_values_are_refused_with_a_notice(
    client, deps, prop, value
):
    response = post(client, deps, prop, {prop: value}, SYNC)
    assert response.status_code == 200
    out = response.get_json()["response"]
    assert out[ids.APPLIED_FILTERS]["data"] == {}
    assert out[prop.split(".")[0]]["value"] is None  # the dropdown is cleared
    notices = json.dumps(out[ids.URL_NOTICES]["children"])
    assert "Ignored" in notices
    assert len(notices) < 2000


def test_cb011_forged_url_and_click(client, deps):
    response = post(
        client, deps, "url.search", {"url.search": "?agent=9999&month=1"}, SYNC
    )
    assert response.status_code == 200
    out = response.get_json()["response"]
    assert out[ids.APPLIED_FILTERS]["data"] == {}
    assert "there is no such agent" in json.dumps(out[ids.URL_NOTICES]["children"])

    chart = ids.chart("tickets-per-agent")
    forged = {"points": [{"customdata": ["DROP TABLE"]}]}
    response = post(
        client, deps, f"{chart}.clickData", {f"{chart}.clickData": forged}, SYNC
    )
    assert response.status_code == 200
    assert response.get_json()["response"][ids.APPLIED_FILTERS]["data"] == {}


@pytest.mark.parametrize(
    "applied",
    [
        {"agent": "abc", "month": "2025-99"},
        {"category": "x" * 100_000},
        ["not", "a", "dict"],
        "garbage",
        {"status": {"nested": [1, 2]}},
    ],
)
def test_cb012_forged_store_shows_everything(client, deps, applied):
    response = post(client, deps, SYNC, {SYNC: applied}, DATA)
    assert response.status_code == 200
    out = response.get_json()["response"]
    tickets = out[
        json.dumps(ids.kpi_value("tickets"), sort_keys=True, separators=(",", ":"))
    ]
    assert tickets["children"] == "377"  # every ticket of the demo data


def test_cb013_data_callback_returns_every_output(client, deps):
    response = post(
        client,
        deps,
        SYNC,
        {SYNC: {"month": "2025-03"}},
        DATA,
    )
    out = response.get_json()["response"]
    for chart in CHARTS:
        assert "figure" in out[ids.chart(chart.report)]
    assert out[ids.KPI_CAPTION]["children"] == "Change against Feb 2025"
    assert len(callbacks.DRILL_CHARTS) == 6


def test_cb020_app_starts_and_says_so_while_the_database_is_down():
    from sqlalchemy.engine import make_url

    down = make_url("mysql+pymysql://nobody@127.0.0.1:1/support")
    app = create_app(Settings(database_url=down))  # never connects at start
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    assert "Loading the support data" in client.get("/_dash-layout").get_data(True)
    app.loader.check()  # what the loader thread does: it fails
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    text = json.dumps(layout.get_json())  # unescaped: '/' is \u002f on the wire
    assert "The database server cannot be reached." in text
    for internal in ("127.0.0.1", "nobody", "support", "pymysql", "2003"):
        assert internal not in text.replace("support data", "")


def test_cb021_bootstrap_is_served_by_the_app(client):
    css = client.get("/assets/vendor/bootstrap.min.css")
    assert css.status_code == 200
    assert b"Bootstrap  v5.3" in css.data[:200]
    assert client.get("/assets/vendor/../../dashboard/__init__.py").status_code == 404
    page = client.get("/").get_data(as_text=True)
    links = re.findall(r'<link rel="stylesheet" href="([^"?]+)', page)
    # Once, and before our own style.css, which builds on it.
    assert links == ["/assets/vendor/bootstrap.min.css", "/assets/style.css"]
    assert "cdn" not in page.lower()
    assert "fonts.googleapis" not in page


# ------------------------------------------- changes and the queue on the demo data


@pytest.fixture(scope="module")
def demo():
    """The demo data (seed 42) on SQLite and a facts store loaded from it."""
    from dashboard.engine.store import FactsStore
    from seeds.demo import demo_engine

    engine = demo_engine(42)
    store = FactsStore(engine)
    store.refresh()
    return engine, store


RATINGS_OF_MONTH = """
    SELECT t.ticket_rating FROM TICKET t
    WHERE t.ticket_rating IS NOT NULL
      AND (SELECT MIN(m.message_sent_time) FROM MESSAGE m
           WHERE m.ticket_id = t.ticket_id) LIKE :month
"""


def _ratings(engine, month: str) -> list[int]:
    from sqlalchemy import text

    with engine.connect() as conn:
        rows = conn.execute(text(RATINGS_OF_MONTH), {"month": f"{month}-%"})
        return [int(r[0]) for r in rows]


def test_cb022_march_against_february_shows_rating_and_csat_changes(demo):
    """The largest changes of the demo's March are shown with their sample sizes and
    the test's verdict, worked out here from plain SQL: Welch's t for the average
    rating, the two-proportion z-test for CSAT."""
    import math

    engine, store = demo
    march, february = _ratings(engine, "2025-03"), _ratings(engine, "2025-02")
    out = render(view_data.load(store, Filters(month="2025-03")))

    def badge(name):
        change, sizes, verdict = out["kpi_deltas"][name].children
        detail = f"{sizes.children} · {verdict.children}"
        return change.children, detail, out["kpi_deltas"][name].title

    mean_now, mean_then = sum(march) / len(march), sum(february) / len(february)
    assert (round(mean_then, 2), round(mean_now, 2)) == (4.47, 3.94)  # the issue's
    var_now = sum((r - mean_now) ** 2 for r in march) / (len(march) - 1)
    var_then = sum((r - mean_then) ** 2 for r in february) / (len(february) - 1)
    se2 = var_now / len(march) + var_then / len(february)
    df = se2**2 / (
        (var_now / len(march)) ** 2 / (len(march) - 1)
        + (var_then / len(february)) ** 2 / (len(february) - 1)
    )
    t = (mean_now - mean_then) / math.sqrt(se2)
    assert df > 25  # near enough to normal that p lies between these two:
    p_low, p_high = math.erfc(abs(t) / math.sqrt(2)), math.erfc(abs(t) / 2)
    change, detail, title = badge("avg_rating")
    assert change == f"▼ {mean_then - mean_now:.2f}"
    sizes = f"n {len(march)} vs {len(february)}"
    p = float(re.search(r"p = ([0-9.]+)", title).group(1))
    assert p_low <= p + 0.0005
    assert p <= p_high
    verdict = "could be chance" if p >= 0.05 else "significant"
    assert detail == f"{sizes} · {verdict}"
    assert "Welch's t-test" in title

    good_now = sum(r >= 4 for r in march)
    good_then = sum(r >= 4 for r in february)
    pooled = (good_now + good_then) / (len(march) + len(february))
    z = (good_now / len(march) - good_then / len(february)) / math.sqrt(
        pooled * (1 - pooled) * (1 / len(march) + 1 / len(february))
    )
    change, detail, title = badge("csat")
    drop = (good_then / len(february) - good_now / len(march)) * 100
    assert change == f"▼ {drop:.1f} pts" == "▼ 20.7 pts"
    assert f"p = {math.erfc(abs(z) / math.sqrt(2)):.3f}" in title
    verdict = "could be chance" if abs(z) < 1.96 else "significant"
    assert detail == f"{sizes} · {verdict}"
    assert "two-proportion z-test" in title


BACKLOG_BY_HAND = """
    SELECT
      COUNT(*),
      SUM(CASE WHEN last_from = 'customer' THEN 1 ELSE 0 END),
      SUM(CASE WHEN last_from = 'customer' AND agent_messages = 0 THEN 1 ELSE 0 END),
      SUM(CASE WHEN last_from = 'agent' THEN 1 ELSE 0 END)
    FROM (
      SELECT t.ticket_id,
        (SELECT s.sender_type FROM MESSAGE m JOIN SENDER s ON s.sender_id = m.sender_id
         WHERE m.ticket_id = t.ticket_id
         ORDER BY m.message_sent_time DESC, s.sender_type = 'agent' DESC LIMIT 1)
          AS last_from,
        (SELECT COUNT(*) FROM MESSAGE m JOIN SENDER s ON s.sender_id = m.sender_id
         WHERE m.ticket_id = t.ticket_id AND s.sender_type = 'agent') AS agent_messages
      FROM TICKET t WHERE t.ticket_status = 'open'
    ) AS open_tickets
"""


def test_cb023_the_queue_cards_add_up_on_the_demo_data(demo):
    """Open = waiting on an agent + waiting on the customer, and never answered is a
    part of waiting on an agent: counted here in plain SQL, as the card lays them
    out."""
    from sqlalchemy import text

    engine, store = demo
    with engine.connect() as conn:
        total, on_agent, never, on_customer = conn.execute(text(BACKLOG_BY_HAND)).one()
    assert total == on_agent + on_customer
    assert never <= on_agent
    queue = render(view_data.load(store, Filters()))["queue"]
    assert queue["open_tickets"] == f"{total:,}"
    assert queue["waiting_on_agent"] == f"{on_agent:,}"
    assert queue["never_answered"] == f"{never:,}"
    assert queue["waiting_on_customer"] == f"{on_customer:,}"
    assert int(queue["waiting_on_agent"]) + int(queue["waiting_on_customer"]) == int(
        queue["open_tickets"]
    )
