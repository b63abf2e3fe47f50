"""The dashboard in headless Chromium on the seeded demo database (SQLite).

Every expected KPI value is computed a second way: the `summary` report run directly on
the database for the same filters (the page goes through the facts store).
"""

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains

from dashboard.config import Settings
from dashboard.data.filters import Filters
from dashboard.data.reports import month_name, tickets_per_agent
from dashboard.testing.dom import (
    count,
    css,
    empty_message,
    search,
    text,
    wait_for_charts,
    wait_for_kpis,
    wait_for_search,
    wait_for_text,
)
from dashboard.ui import ids
from dashboard.ui.kpis import KPIS
from dashboard.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app(engine):
    """One app for the module's tests (each test starts a server for it)."""
    return create_app(Settings(), engine=engine)


@pytest.fixture(scope="module")
def agents(engine):
    """agent_id -> name, busiest first."""
    with engine.connect() as conn:
        df = tickets_per_agent(conn, Filters())
    return dict(zip(df["agent_id"].astype(int), df["agent"], strict=True))


def open_page(dash_duo, app, query: str = "") -> None:
    """Start the app and open it, with `query` as the link's query string."""
    dash_duo.start_server(app, navigate=False)
    dash_duo.wait_for_page(f"{dash_duo.server.url}/{query}")


def click_bar(dash_duo, report: str, index: int) -> None:
    """Click a bar the way a user does: plotly listens on the layer above the bars.
    (A chart redrawn between finding and clicking its bar is tried again.)"""
    wait_for_charts(dash_duo)  # nothing above it will still move
    selector = f"{css(ids.chart(report))} .bars .point path"
    for attempt in range(3):
        try:
            bar = dash_duo.find_elements(selector)[index]
            dash_duo.driver.execute_script(  # Bootstrap scrolls smoothly: not here
                "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})",
                bar,
            )
            # A user's pointer moves over the bar before the click; plotly needs
            # the hover that causes to know which bar is clicked.
            (
                ActionChains(dash_duo.driver)
                .move_to_element(bar)
                .pause(0.1)
                .move_by_offset(2, 0)
                .pause(0.2)
                .click()
                .perform()
            )
            return
        except StaleElementReferenceException:
            if attempt == 2:
                raise


def test_dash001_page_shows_every_kpi_and_chart(dash_duo, app, engine):
    open_page(dash_duo, app)
    wait_for_kpis(dash_duo, engine, Filters())
    wait_for_charts(dash_duo)
    for kpi in KPIS:  # no month chosen: no change against a previous month
        assert text(dash_duo, css(ids.kpi_delta(kpi.name))) == ""
    assert text(dash_duo, css(ids.FRESHNESS)).startswith("Newest message ")
    assert count(dash_duo, ".db-alert, .url-notice") == 0
    assert search(dash_duo) == ""
    assert dash_duo.get_logs() == []


def test_dash002_each_filter_changes_the_kpis(dash_duo, app, engine, agents):
    open_page(dash_duo, app)
    wait_for_kpis(dash_duo, engine, Filters())
    agent_id, agent_name = next(iter(agents.items()))

    dash_duo.select_dcc_dropdown(css(ids.FILTER_AGENT), value=agent_name)
    wait_for_kpis(dash_duo, engine, Filters(agent=agent_id))
    wait_for_search(dash_duo, f"?agent={agent_id}")

    dash_duo.select_dcc_dropdown(css(ids.FILTER_MONTH), value="Mar 2025")
    wait_for_kpis(dash_duo, engine, Filters(month="2025-03", agent=agent_id))
    wait_for_text(dash_duo, css(ids.KPI_CAPTION), "Change against Feb 2025")
    for kpi in KPIS:  # a month is chosen: every card shows its change
        assert text(dash_duo, css(ids.kpi_delta(kpi.name)))

    dash_duo.select_dcc_dropdown(css(ids.FILTER_CATEGORY), value="Wrong order")
    f = Filters(month="2025-03", agent=agent_id, category="Wrong order")
    wait_for_kpis(dash_duo, engine, f)

    dash_duo.select_dcc_dropdown(css(ids.FILTER_STATUS), value="Resolved")
    f = Filters(
        month="2025-03", agent=agent_id, category="Wrong order", status="resolved"
    )
    wait_for_kpis(dash_duo, engine, f)
    wait_for_search(
        dash_duo,
        f"?month=2025-03&agent={agent_id}&category=Wrong+order&status=resolved",
    )

    dash_duo.find_element(css(ids.FILTER_RESET)).click()
    wait_for_kpis(dash_duo, engine, Filters())
    wait_for_search(dash_duo, "")
    assert dash_duo.get_logs() == []


def test_dash003_link_opens_its_view_and_back_restores_the_last(dash_duo, app, engine):
    open_page(dash_duo, app, "?month=2025-03&category=Bug+report&status=resolved")
    march_bugs = Filters(month="2025-03", category="Bug report", status="resolved")
    wait_for_kpis(dash_duo, engine, march_bugs)
    wait_for_text(dash_duo, f"{css(ids.FILTER_MONTH)}", "Mar 2025")
    wait_for_text(dash_duo, f"{css(ids.FILTER_CATEGORY)}", "Bug report")
    wait_for_text(dash_duo, f"{css(ids.FILTER_STATUS)}", "Resolved")

    dash_duo.select_dcc_dropdown(css(ids.FILTER_MONTH), value="Apr 2025")
    wait_for_kpis(dash_duo, engine, Filters("2025-04", None, "Bug report", "resolved"))
    wait_for_search(dash_duo, "?month=2025-04&category=Bug+report&status=resolved")

    dash_duo.driver.back()
    wait_for_search(dash_duo, "?month=2025-03&category=Bug+report&status=resolved")
    wait_for_text(dash_duo, f"{css(ids.FILTER_MONTH)}", "Mar 2025")
    wait_for_kpis(dash_duo, engine, march_bugs)

    dash_duo.driver.forward()
    wait_for_text(dash_duo, f"{css(ids.FILTER_MONTH)}", "Apr 2025")
    wait_for_kpis(dash_duo, engine, Filters("2025-04", None, "Bug report", "resolved"))
    assert dash_duo.get_logs() == []


def test_dash004_malformed_link_is_ignored_with_a_notice(dash_duo, app, engine):
    open_page(dash_duo, app, "?month=2025-13&agent=abc&category=Bug+report&colour=red")
    wait_for_kpis(dash_duo, engine, Filters(category="Bug report"))
    notice = dash_duo.wait_for_element(".url-notice").text
    assert 'Ignored month "2025-13"' in notice
    assert 'Ignored agent "abc"' in notice
    assert 'Ignored "colour"' in notice
    wait_for_text(dash_duo, css(ids.FILTER_CATEGORY), "Bug report")
    assert dash_duo.get_logs() == []


def test_dash005_clicking_a_bar_drills_down(dash_duo, app, engine, agents):
    open_page(dash_duo, app)
    wait_for_kpis(dash_duo, engine, Filters())
    wait_for_charts(dash_duo)
    busiest_id, busiest_name = next(iter(agents.items()))  # the top bar

    click_bar(dash_duo, "tickets-per-agent", 0)
    wait_for_text(dash_duo, css(ids.FILTER_AGENT), busiest_name)
    wait_for_search(dash_duo, f"?agent={busiest_id}")
    wait_for_kpis(dash_duo, engine, Filters(agent=busiest_id))

    # The volume chart's first month (January), opened-tickets bar.
    click_bar(dash_duo, "ticket-volume", 0)
    wait_for_text(dash_duo, css(ids.FILTER_MONTH), "Jan 2025")
    wait_for_kpis(dash_duo, engine, Filters(month="2025-01", agent=busiest_id))
    wait_for_search(dash_duo, f"?month=2025-01&agent={busiest_id}")
    assert dash_duo.get_logs() == []


def test_dash006_empty_combination_shows_empty_states(dash_duo, app, engine):
    # The newest tickets are the open ones: none of January's is still open.
    open_page(dash_duo, app, "?month=2025-01&category=Bug+report&status=open")
    wait_for_kpis(dash_duo, engine, Filters("2025-01", None, "Bug report", "open"))
    assert text(dash_duo, css(ids.kpi_value("tickets"))) == "0"
    scope = f"for Bug report in {month_name('2025-01')}"
    expected = {
        "ticket-volume": f"No open tickets {scope}",
        "resolution-time": f"No resolved tickets among open tickets {scope}",
        "tickets-per-agent": f"No open tickets {scope}",
        "agent-ratings": f"No rated tickets among open tickets {scope}",
        "busiest-hours": f"No messages among open tickets {scope}",
    }
    for report, message in expected.items():
        wait_for_text(dash_duo, f"{css(ids.chart(report))} .annotation-text", message)
    assert empty_message(dash_duo, "categories").startswith("No open tickets")
    assert dash_duo.get_logs() == []
