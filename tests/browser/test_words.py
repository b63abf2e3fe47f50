"""What a user reads is true (issue 14 §3), in headless Chromium on the demo data:
a KPI change with its sample sizes and its test's verdict, the queue's numbers as
the sum they are, the tables' units in their headers, a chart's line saying the
period it is drawn by.

Expected values come a second way: plain SQL on the demo database, or the reports
run on it directly (the page reads the facts store).
"""

import pytest
from sqlalchemy import text as sql

from dashboard.config import Settings
from dashboard.data.filters import Filters
from dashboard.testing.dom import css, text, wait_for_kpis, wait_for_text, wait_until
from dashboard.ui import ids
from dashboard.web.app import create_app
from tests.browser.test_front_page import direct, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app(engine):
    return create_app(Settings(refresh_seconds=0), engine=engine)


RATED_OF_MONTH = """
    SELECT COUNT(*), SUM(CASE WHEN t.ticket_rating >= 4 THEN 1 ELSE 0 END)
    FROM TICKET t
    WHERE t.ticket_rating IS NOT NULL
      AND (SELECT MIN(m.message_sent_time) FROM MESSAGE m
           WHERE m.ticket_id = t.ticket_id) LIKE :month
"""


def test_words001_march_shows_the_csat_drop_with_its_sizes_and_test(
    dash_duo, app, engine
):
    with engine.connect() as conn:
        rated_now, good_now = conn.execute(
            sql(RATED_OF_MONTH), {"month": "2025-03-%"}
        ).one()
        rated_then, good_then = conn.execute(
            sql(RATED_OF_MONTH), {"month": "2025-02-%"}
        ).one()
    drop = (good_then / rated_then - good_now / rated_now) * 100
    open_page(dash_duo, app, "?month=2025-03")
    wait_for_kpis(dash_duo, engine, Filters(month="2025-03"))
    badge = css(ids.kpi_delta("csat"))
    wait_for_text(dash_duo, f"{badge} .kpi-delta-change", f"▼ {drop:.1f} pts")
    lines = [e.text for e in dash_duo.find_elements(f"{badge} .kpi-delta-detail")]
    assert lines[0] == f"n {rated_now} vs {rated_then}"
    assert lines[1] in ("could be chance", "significant")
    title = dash_duo.find_element(f"{badge} .kpi-delta").get_attribute("title")
    assert "two-proportion z-test" in title
    assert "p = " in title
    assert "n/a" not in text(dash_duo, css(ids.kpi_delta("avg_rating")))
    assert dash_duo.get_logs() == []


def test_words002_the_queue_reads_as_the_sum_it_is(dash_duo, app, engine):
    open_page(dash_duo, app)
    backlog = direct(engine, "backlog", Filters()).iloc[0]
    for name in ("open_tickets", "waiting_on_agent", "waiting_on_customer"):
        wait_for_text(dash_duo, css(ids.queue_value(name)), f"{int(backlog[name]):,}")
    shown = dash_duo.find_element(".queue-sum").text.split()
    # "Open 38 = Waiting on an agent 20 of which 15 never answered + Waiting on ..."
    assert shown[:3] == ["Open", f"{int(backlog['open_tickets'])}", "="]
    assert "+" in shown
    assert "never" in shown
    total, on_agent, on_customer = (
        int(dash_duo.find_element(css(ids.queue_value(n))).text)
        for n in ("open_tickets", "waiting_on_agent", "waiting_on_customer")
    )
    assert total == on_agent + on_customer
    never = int(dash_duo.find_element(css(ids.queue_value("never_answered"))).text)
    assert never <= on_agent
    assert dash_duo.get_logs() == []


def test_words003_the_tables_name_their_units_and_the_rank(dash_duo, app, engine):
    open_page(dash_duo, app, "?month=2025-03")
    wait_for_kpis(dash_duo, engine, Filters(month="2025-03"))
    header = f"{css(ids.LEADERBOARD_GRID)} .ag-header-cell"
    wait_until(
        dash_duo,
        lambda _: len(dash_duo.find_elements(header)) > 5,
        lambda: "no leaderboard header",
    )

    def headers(grid):
        return dash_duo.driver.execute_script(
            "return [...document.querySelectorAll(arguments[0])]"
            ".map(h => [h.getAttribute('col-id'), h.innerText.replace(/\\s+/g, ' ')])",
            f"{css(grid)} .ag-header-cell",
        )

    board = dict(headers(ids.LEADERBOARD_GRID))
    assert board["rank"] == "Rating rank"
    assert board["median_resolution_time"] == "Median resolution (h)"
    assert board["median_first_response"] == "Median first response (h)"
    cells = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(c => c.innerText)",
        f"{css(ids.LEADERBOARD_GRID)} .ag-cell[col-id=median_resolution_time]",
    )
    assert cells
    assert all(c == "—" or c.replace(".", "").isdigit() for c in cells)
    tickets = dict(headers(ids.TICKETS_GRID))
    assert tickets["resolution_hours"] == "Resolution (h)"
    assert tickets["first_response_hours"] == "First response (h)"
    # one month is drawn by day, and the line under the title says so
    wait_for_text(
        dash_duo,
        f"#{ids.chart_description('ticket-volume')}",
        "Tickets opened per day (the day of their first message) and tickets "
        "resolved per day (the day of their last message), side by side.",
    )
    assert dash_duo.get_logs() == []
