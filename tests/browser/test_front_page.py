"""The front page at the filters a lead opens most (issue 7), in headless Chromium on
the demo database: the time axes of a single month, a link to a month without
tickets, the queue, fair agent views, the search in the link.

Expected values come a second way: the reports run directly on the database (the page
reads the facts store), or plain SQL.
"""

import re
import time

import pytest
from sqlalchemy import text as sql

from dashboard.config import Settings
from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.testing.dom import (
    count,
    css,
    search,
    text,
    wait_for_charts,
    wait_for_kpis,
    wait_for_search,
    wait_for_text,
    wait_until,
)
from dashboard.ui import ids
from dashboard.ui.theme import hours
from dashboard.web.app import create_app
from tests.browser.test_dashboard import click_bar
from tests.browser.test_drilldown import click, shown_ids, wait_for_rows

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app(engine):
    return create_app(Settings(refresh_seconds=0), engine=engine)


def open_page(dash_duo, app, query: str = "") -> None:
    dash_duo.start_server(app, navigate=False)
    dash_duo.wait_for_page(f"{dash_duo.server.url}/{query}")


def direct(engine, name: str, filters: Filters, **options):
    with engine.connect() as conn:
        return REPORTS[name](conn, filters, **options)


def ticks(dash_duo, report: str, axis: str) -> list[str]:
    """A chart's tick labels on one axis ('x' or 'y'), as drawn."""
    return dash_duo.driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(t => t.textContent)",
        f"{css(ids.chart(report))} .{axis}tick text",
    )


def axis_title(dash_duo, report: str, axis: str) -> str:
    return text(dash_duo, f"{css(ids.chart(report))} .g-{axis}title") or ""


def visible(dash_duo, selector: str) -> bool:
    return dash_duo.driver.execute_script(
        "const e = document.querySelector(arguments[0]);"
        "return e !== null && e.offsetParent !== null;",
        selector,
    )


def test_fp001_a_single_month_draws_days_on_whole_number_axes(dash_duo, app, engine):
    open_page(dash_duo, app, "?month=2025-03")
    wait_for_kpis(dash_duo, engine, Filters(month="2025-03"))
    wait_for_charts(dash_duo)
    days = ticks(dash_duo, "ticket-volume", "x")
    assert days
    assert all(re.fullmatch(r"Mar \d{1,2}|Apr 1", d) for d in days), days
    assert axis_title(dash_duo, "ticket-volume", "x") == "Day"
    counts = ticks(dash_duo, "ticket-volume", "y")
    assert counts
    assert all(re.fullmatch(r"\d+", c) for c in counts), counts  # no 0.5
    # March's answered tickets, day by day, are too few for a trend: it says so
    answered = direct(engine, "first-response-time", Filters(month="2025-03"), by="day")
    message = text(dash_duo, f"{css(ids.chart('first-response-time'))} .annotation")
    if (answered["n"] >= 3).sum() < 2:
        assert message.startswith(
            "Too few answered tickets for a trend by day: a trend needs two days "
            "with 3 or more each"
        )
    else:  # the days are on the axis, never times of day
        labels = ticks(dash_duo, "first-response-time", "x")
        assert labels
        assert not any(":" in t for t in labels), labels
    # the distribution chart's axis is in the unit its slowest value calls for
    row = direct(engine, "resolution-time", Filters(month="2025-03")).iloc[0]
    unit = hours(row["max_resolution_time"]).split()[-1]
    title = {"min": "Minutes", "h": "Hours", "d": "Days"}[unit]
    assert axis_title(dash_duo, "resolution-time", "y") == f"{title} to resolve"
    assert dash_duo.get_logs() == []


def test_fp002_a_year_draws_months(dash_duo, app, engine):
    open_page(dash_duo, app)
    wait_for_charts(dash_duo)
    months = ticks(dash_duo, "ticket-volume", "x")
    assert months
    assert all(re.fullmatch(r"[A-Z][a-z]{2}( 2025)?", m) for m in months)
    assert axis_title(dash_duo, "resolution-time-by-month", "x") == "Month opened"
    assert not any(":" in t for t in ticks(dash_duo, "resolution-time-by-month", "x"))
    assert dash_duo.get_logs() == []


def test_fp003_a_link_to_a_month_without_tickets_is_kept(dash_duo, app, engine):
    open_page(dash_duo, app, "?month=2026-01&category=Bug+report")
    filters = Filters(month="2026-01", category="Bug report")
    wait_for_kpis(dash_duo, engine, filters)
    assert text(dash_duo, css(ids.kpi_value("tickets"))) == "0"
    wait_for_text(
        dash_duo,
        ".month-note",
        "No tickets in Jan 2026. The data has tickets from Jan 2025 to Dec 2025.",
    )
    assert text(dash_duo, css(ids.FILTER_MONTH)).startswith("Jan 2026")
    time.sleep(1)  # the link used to be rewritten within about 0.3 s
    assert search(dash_duo) == "?month=2026-01&category=Bug+report"
    assert text(dash_duo, css(ids.FILTER_MONTH)).startswith("Jan 2026")
    assert dash_duo.get_logs() == []


def test_fp004_status_open_shows_the_queue_instead_of_resolution_cards(
    dash_duo, app, engine
):
    open_page(dash_duo, app, "?status=open")
    wait_for_kpis(dash_duo, engine, Filters(status="open"))
    backlog = direct(engine, "backlog", Filters(status="open")).iloc[0]
    for name in ("open_tickets", "never_answered", "waiting_on_agent"):
        wait_for_text(dash_duo, css(ids.queue_value(name)), f"{int(backlog[name]):,}")
    wait_for_text(
        dash_duo,
        css(ids.queue_value("waiting_on_customer")),
        f"{int(backlog['waiting_on_customer']):,}",
    )
    wait_for_text(
        dash_duo,
        css(ids.queue_value("oldest_wait_hours")),
        hours(backlog["oldest_wait_hours"]),
    )
    for report in ("resolution-time", "agent-ratings", "rating-distribution"):
        assert not visible(dash_duo, css(ids.chart_card(report))), report
    for report in ("ticket-volume", "categories", "busiest-hours"):
        assert visible(dash_duo, css(ids.chart_card(report))), report
    assert dash_duo.get_logs() == []


def test_fp005_a_click_on_an_age_lists_those_tickets_oldest_first(
    dash_duo, app, engine
):
    open_page(dash_duo, app)
    wait_for_charts(dash_duo)
    ages = direct(engine, "open-by-age", Filters())
    # a bar of the oldest age, "> 3 d": one trace per category, five ages each
    categories = sorted(ages["ticket_category"].unique())
    category = ages.loc[ages["age"] == 4, "ticket_category"].iloc[0]
    click_bar(dash_duo, "open-by-age", categories.index(category) * 5 + 4)
    wait_for_text(
        dash_duo, f"{css(ids.TICKETS_AGE)} span", "Open tickets > 3 d old, oldest first"
    )
    with engine.connect() as conn:
        newest = conn.execute(
            sql("SELECT MAX(message_sent_time) FROM MESSAGE")
        ).scalar()
        old = (
            conn.execute(
                sql(
                    "SELECT t.ticket_id FROM TICKET t JOIN MESSAGE m "
                    "ON m.ticket_id = t.ticket_id WHERE t.ticket_status = 'open' "
                    "GROUP BY t.ticket_id "
                    "HAVING (julianday(:now) - julianday(MIN(m.message_sent_time))) "
                    "* 24 >= 72 "
                    "ORDER BY MIN(m.message_sent_time), t.ticket_id DESC"
                ),
                {"now": newest},
            )
            .scalars()
            .all()
        )
    wait_for_rows(dash_duo, old[:20])
    click(dash_duo, css(ids.TICKETS_AGE_CLEAR))
    wait_until(
        dash_duo,
        lambda _: len(shown_ids(dash_duo)) == 20 and shown_ids(dash_duo) != old[:20],
        lambda: f"grid still shows {shown_ids(dash_duo)}",
    )
    assert not visible(dash_duo, css(ids.TICKETS_AGE))
    assert dash_duo.get_logs() == []


def test_fp006_one_agent_against_the_team(dash_duo, app, engine):
    board = direct(engine, "agent-leaderboard", Filters())
    chosen = int(board["agent_id"].iloc[-1])  # the agent with fewest tickets
    open_page(dash_duo, app, f"?agent={chosen}")
    wait_for_kpis(dash_duo, engine, Filters(agent=chosen))
    wait_for_charts(dash_duo)
    # every agent is there (the top 15 and the chosen one), not just co-workers
    bars = count(dash_duo, f"{css(ids.chart('tickets-per-agent'))} .bars .point")
    assert bars == min(15, len(board)) + 1
    chosen_name = board.loc[board["agent_id"] == chosen, "agent"].item()
    labels = ticks(dash_duo, "tickets-per-agent", "y")
    assert chosen_name in labels
    assert len(labels) == bars
    assert "team median" in text(dash_duo, css(ids.chart("tickets-per-agent")))
    # the leaderboard is the engine's, every agent, the chosen one marked
    grid = css(ids.LEADERBOARD_GRID)
    wait_until(
        dash_duo,
        lambda _: count(dash_duo, f"{grid} .ag-center-cols-container .ag-row") > 0,
        lambda: "the leaderboard is empty",
    )
    shown = dash_duo.driver.execute_script(
        """return [...document.querySelectorAll(arguments[0] +
            ' .ag-center-cols-container .ag-row')]
            .sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))
            .map(r => [r.querySelector('[col-id=agent]').innerText,
                       Number(r.querySelector('[col-id=tickets]').innerText)]);""",
        grid,
    )
    first_page = board.head(len(shown))
    assert shown == [
        [name, int(n)]
        for name, n in zip(first_page["agent"], first_page["tickets"], strict=True)
    ]
    search_box = dash_duo.find_element(css(ids.LEADERBOARD_SEARCH))
    search_box.send_keys(chosen_name)
    wait_until(
        dash_duo,
        lambda _: count(dash_duo, f"{grid} .agent-chosen") == 1,
        lambda: "the chosen agent is not found by the search, or not marked",
    )
    assert dash_duo.get_logs() == []


def test_fp007_the_search_is_in_the_link(dash_duo, app, engine):
    with engine.connect() as conn:
        email = conn.execute(
            sql("SELECT customer_email_address FROM CUSTOMER WHERE customer_id = 7")
        ).scalar()
        theirs = [
            int(i)
            for i in conn.execute(
                sql(
                    "SELECT t.ticket_id FROM TICKET t JOIN MESSAGE m "
                    "ON m.ticket_id = t.ticket_id WHERE t.customer_id = 7 "
                    "GROUP BY t.ticket_id "
                    "ORDER BY MIN(m.message_sent_time) DESC, t.ticket_id DESC"
                )
            ).scalars()
        ]
    open_page(dash_duo, app, f"?q={email}")
    wait_for_rows(dash_duo, theirs[:20])
    assert (
        dash_duo.find_element(css(ids.TICKETS_SEARCH)).get_attribute("value") == email
    )
    box = dash_duo.find_element(css(ids.TICKETS_SEARCH))
    box.clear()
    box.send_keys("Bug report")
    wait_for_search(dash_duo, "?q=Bug+report")
    assert dash_duo.get_logs() == []
