"""The tickets table, the conversation panel, the CSV download and auto-refresh in
headless Chromium, on the seeded demo database.

Every expectation is a plain SQL query on the support tables (the page reads the
facts store through tickets_page; these queries know nothing of either).
"""

import csv
import re
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from dashboard.config import Settings
from dashboard.data.filters import Filters
from dashboard.testing.dom import (
    count,
    css,
    search,
    text,
    wait_for_kpis,
    wait_for_search,
    wait_for_text,
    wait_until,
)
from dashboard.ui import ids
from dashboard.web.app import create_app
from seeds.demo import open_engine
from seeds.simulate import run as simulate

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GRID = css(ids.TICKETS_GRID)
PANEL = css(ids.CONVERSATION)

# The newest tickets first (the table's default order): opened = first message.
NEWEST = """
SELECT t.ticket_id FROM TICKET t JOIN MESSAGE m ON m.ticket_id = t.ticket_id
WHERE (:category IS NULL OR t.ticket_category = :category)
GROUP BY t.ticket_id
ORDER BY MIN(m.message_sent_time) DESC, t.ticket_id DESC
"""
MOST_MESSAGES = """
SELECT t.ticket_id FROM TICKET t JOIN MESSAGE m ON m.ticket_id = t.ticket_id
GROUP BY t.ticket_id ORDER BY COUNT(*) DESC, t.ticket_id DESC
"""
MESSAGES = """
SELECT message_id, message_text FROM MESSAGE WHERE ticket_id = :ticket
ORDER BY message_sent_time, message_id
"""


@pytest.fixture(scope="module")
def app(engine):
    return create_app(Settings(refresh_seconds=0), engine=engine)


def query(engine, statement: str, **params) -> list:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sql(statement), params)]


def ticket_ids(engine, statement: str, **params) -> list[int]:
    return [int(r[0]) for r in query(engine, statement, **params)]


def open_page(dash_duo, app, query_string: str = "") -> None:
    dash_duo.start_server(app, navigate=False)
    dash_duo.wait_for_page(f"{dash_duo.server.url}/{query_string}")


def shown_ids(dash_duo) -> list[int]:
    """The ticket ids of the grid's rows on screen, top to bottom."""
    return dash_duo.driver.execute_script(
        """
        const rows = [...document.querySelectorAll(
            arguments[0] + ' .ag-center-cols-container .ag-row')];
        return rows
            .map(r => [Number(r.getAttribute('row-index')),
                       r.querySelector('[col-id=ticket_id]')?.innerText ?? ''])
            .filter(([, t]) => t.startsWith('#'))
            .sort((a, b) => a[0] - b[0])
            .map(([, t]) => Number(t.slice(1)));
        """,
        GRID,
    )


def wait_for_rows(dash_duo, expected: list[int], timeout: float = 10) -> None:
    wait_until(
        dash_duo,
        lambda _: shown_ids(dash_duo) == expected,
        lambda: f"grid shows {shown_ids(dash_duo)}, expected {expected}",
        timeout,
    )


def click(dash_duo, selector: str) -> None:
    """Scroll the element to the middle of the window at once (Bootstrap makes
    scrolling smooth, which a click would not wait for), then click it."""
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})",
        element,
    )
    element.click()


def click_row(dash_duo, ticket_id: int) -> None:
    click(
        dash_duo,
        f"{GRID} .ag-center-cols-container .ag-row[row-id='{ticket_id}'] "
        "[col-id=customer]",
    )


def shown_messages(dash_duo) -> list[tuple[int, str]]:
    return dash_duo.driver.execute_script(
        """
        return [...document.querySelectorAll(arguments[0] + ' .chat-message')]
            .map(m => [Number(m.dataset.messageId),
                       m.querySelector('.chat-text').textContent]);
        """,
        PANEL,
    )


def wait_for_conversation(dash_duo, engine, ticket_id: int) -> None:
    expected = [(int(i), t) for i, t in query(engine, MESSAGES, ticket=ticket_id)]
    assert expected, f"ticket {ticket_id} has messages"
    wait_for_text(dash_duo, f"{PANEL} .offcanvas-title", f"Ticket #{ticket_id}")
    wait_until(
        dash_duo,
        lambda _: [tuple(m) for m in shown_messages(dash_duo)] == expected,
        lambda: (
            f"panel shows {shown_messages(dash_duo)[:3]}..., expected {expected[:3]}..."
        ),
    )


def test_bdrill001_filter_then_click_a_row_opens_its_conversation(
    dash_duo, app, engine
):
    open_page(dash_duo, app)
    wait_for_rows(dash_duo, ticket_ids(engine, NEWEST, category=None)[:20])

    dash_duo.select_dcc_dropdown(css(ids.FILTER_CATEGORY), value="Wrong order")
    wait_for_search(dash_duo, "?category=Wrong+order")
    wrong_order = ticket_ids(engine, NEWEST, category="Wrong order")
    wait_for_rows(dash_duo, wrong_order[:20])
    wait_for_text(dash_duo, css(ids.TICKETS_COUNT), f"{len(wrong_order)} tickets")

    ticket = wrong_order[2]
    click_row(dash_duo, ticket)
    wait_for_conversation(dash_duo, engine, ticket)
    wait_for_search(dash_duo, f"?category=Wrong+order&ticket={ticket}")
    sides = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('.chat-message')]"
        ".map(m => m.classList.contains('chat-agent') ? 'agent' : 'customer')"
    )
    expected_sides = [
        r[0]
        for r in query(
            engine,
            "SELECT s.sender_type FROM MESSAGE m JOIN SENDER s "
            "ON s.sender_id = m.sender_id WHERE m.ticket_id = :t "
            "ORDER BY m.message_sent_time, m.message_id",
            t=ticket,
        )
    ]
    assert sides == expected_sides

    # Closing removes the ticket from the URL; back opens it again.
    click(dash_duo, f"{PANEL} .btn-close")
    wait_for_search(dash_duo, "?category=Wrong+order")
    wait_until(
        dash_duo,
        lambda _: count(dash_duo, f"{PANEL}.show") == 0,
        lambda: "the panel is still open",
    )
    dash_duo.driver.back()
    wait_for_search(dash_duo, f"?category=Wrong+order&ticket={ticket}")
    wait_for_conversation(dash_duo, engine, ticket)
    assert dash_duo.get_logs() == []


def test_bdrill002_link_opens_the_conversation(dash_duo, app, engine):
    ticket = ticket_ids(engine, MOST_MESSAGES)[0]
    open_page(dash_duo, app, f"?status=resolved&ticket={ticket}")
    wait_for_conversation(dash_duo, engine, ticket)
    wait_for_text(dash_duo, css(ids.FILTER_STATUS), "Resolved")
    assert count(dash_duo, ".url-notice") == 0
    assert dash_duo.get_logs() == []


def test_bdrill003_unknown_ticket_gives_a_notice(dash_duo, app, engine):
    (missing,) = query(engine, "SELECT MAX(ticket_id) + 1000 FROM TICKET")[0]
    open_page(dash_duo, app, f"?ticket={missing}")
    wait_for_text(
        dash_duo,
        f"{PANEL} .ticket-notice strong",
        f"There is no ticket #{missing}.",
    )
    assert count(dash_duo, f"{PANEL} .chat-message") == 0
    assert dash_duo.get_logs() == []


def test_bdrill004_table_pages_and_sorts(dash_duo, app, engine):
    open_page(dash_duo, app)
    newest = ticket_ids(engine, NEWEST, category=None)
    wait_for_rows(dash_duo, newest[:20])

    click(dash_duo, f"{GRID} [aria-label='Next Page']")
    wait_for_rows(dash_duo, newest[20:40])

    # Sorting starts again at the first page; the first click sorts descending.
    click(dash_duo, f"{GRID} .ag-header-cell[col-id=n_messages]")
    most = ticket_ids(engine, MOST_MESSAGES)
    wait_for_rows(dash_duo, most[:20])
    click(dash_duo, f"{GRID} [aria-label='Next Page']")
    wait_for_rows(dash_duo, most[20:40])
    assert dash_duo.get_logs() == []


def test_bdrill005_search_and_empty_state(dash_duo, app, engine):
    open_page(dash_duo, app)
    ticket = ticket_ids(engine, NEWEST, category=None)[30]
    box = dash_duo.find_element(css(ids.TICKETS_SEARCH))
    box.send_keys(f"#{ticket}")
    wait_for_rows(dash_duo, [ticket])
    wait_for_text(dash_duo, css(ids.TICKETS_COUNT), "1 ticket")
    box.send_keys("zzz")  # '#<id>zzz' matches no customer
    wait_for_text(
        dash_duo,
        css(ids.TICKETS_EMPTY),
        f"No tickets match the search “#{ticket}zzz”.",
    )
    assert dash_duo.get_logs() == []


def wait_for_file(folder: Path, timeout: float = 10) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob("*.csv") if p.stat().st_size]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no CSV downloaded into {folder}")


def test_bdrill006_csv_download_matches_the_table(dash_duo, app, engine):
    open_page(dash_duo, app, "?category=Bug+report")
    bugs = ticket_ids(engine, NEWEST, category="Bug report")
    wait_for_rows(dash_duo, bugs[:20])
    click(dash_duo, css(ids.TICKETS_DOWNLOAD_BUTTON))
    path = wait_for_file(Path(dash_duo.download_path))
    assert path.name == "tickets_category-bug-report.csv"
    with path.open(newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [int(r["Ticket"]) for r in table] == bugs  # every row, same order
    assert {r["Category"] for r in table} == {"Bug report"}
    counts = dict(
        query(
            engine,
            "SELECT t.ticket_id, COUNT(*) FROM TICKET t JOIN MESSAGE m "
            "ON m.ticket_id = t.ticket_id WHERE t.ticket_category = 'Bug report' "
            "GROUP BY t.ticket_id",
        )
    )
    assert {int(r["Ticket"]): int(r["Messages"]) for r in table} == counts
    assert dash_duo.get_logs() == []


def test_bdrill007_live_refresh_shows_new_tickets_without_reload(dash_duo):
    engine = open_engine(None)  # its own database: the simulator changes it
    app = create_app(Settings(refresh_seconds=1), engine=engine)
    open_page(dash_duo, app)
    before = wait_for_kpis(dash_duo, engine, Filters())["tickets"]
    stop = threading.Event()
    thread = threading.Thread(
        target=simulate,
        args=(engine, 40.0, stop),
        kwargs={"seed": 7, "interval": 0.3},
        daemon=True,
    )
    thread.start()
    try:
        wait_until(
            dash_duo,
            lambda _: int(text(dash_duo, css(ids.kpi_value("tickets")))) > before,
            lambda: "the tickets KPI did not rise",
            timeout=15,
        )
    finally:
        stop.set()
        thread.join(10)
    # Once the simulator stops, the page settles on what the database holds: the
    # cards, and the table (its count and its newest tickets) without a reload.
    wait_for_kpis(dash_duo, engine, Filters(), timeout=10)
    newest = ticket_ids(engine, NEWEST, category=None)
    wait_for_text(dash_duo, css(ids.TICKETS_COUNT), f"{len(newest):,} tickets")
    wait_for_rows(dash_duo, newest[:20])
    checked = text(dash_duo, css(ids.CHECKED))
    assert re.fullmatch(r"checked \d\d:\d\d:\d\d · all edits up to \d\d:\d\d", checked)
    assert search(dash_duo) == ""
    assert dash_duo.get_logs() == []
    engine.dispose()


MARKUP = (
    '<script>window.__ran = 1</script><img src="x" onerror="window.__ran = 2">'
    " <b>bold</b> [a link](http://example.com) **stars**"
)


def test_bdrill008_message_markup_is_shown_as_text(dash_duo):
    engine = open_engine(None)  # its own database: a message is added
    ticket = ticket_ids(engine, NEWEST, category=None)[0]
    with engine.begin() as conn:
        conn.execute(
            sql(
                "INSERT INTO MESSAGE (ticket_id, sender_id, message_sent_time, "
                "message_text) SELECT t.ticket_id, c.sender_id, "
                "(SELECT MAX(message_sent_time) FROM MESSAGE), :text "
                "FROM TICKET t JOIN CUSTOMER c ON c.customer_id = t.customer_id "
                "WHERE t.ticket_id = :ticket"
            ),
            {"text": MARKUP, "ticket": ticket},
        )
    open_page(dash_duo, create_app(Settings(), engine=engine), f"?ticket={ticket}")
    wait_for_conversation(
        dash_duo, engine, ticket
    )  # the texts, character for character
    inside = dash_duo.driver.execute_script(
        "return document.querySelectorAll("
        "'.chat-text script, .chat-text img, .chat-text b, .chat-text a').length"
    )
    assert inside == 0
    assert dash_duo.driver.execute_script("return window.__ran") is None
    assert dash_duo.get_logs() == []
    engine.dispose()
