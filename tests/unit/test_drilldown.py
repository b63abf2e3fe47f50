"""The open ticket in the URL (urlstate, next_view), the view data an auto-refresh
tick asks for without asking the support database, and the drill-down callbacks over
HTTP the way the browser calls them, forged payloads included."""

import json
import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from dashboard.config import Settings
from dashboard.data.filters import Filters
from dashboard.data.schema import MESSAGE
from dashboard.engine.store import FactsStore
from dashboard.testing.callbacks import post
from dashboard.ui import ids
from dashboard.ui.grid import PAGE_SIZE
from dashboard.web import view_data
from dashboard.web.callbacks.view import next_view
from dashboard.web.grid_requests import MAX_ROWS
from dashboard.web.urlstate import parse, to_search
from seeds.demo import open_engine
from seeds.simulate import step
from tests.apps import loaded_app

VALUES = {"month": None, "agent": None, "category": None, "status": "open"}


@pytest.mark.parametrize(
    ("search", "ticket", "notices"),
    [
        ("?ticket=123", 123, ()),
        ("?status=open&ticket=%23123", 123, ()),
        ("?ticket=abc", None, ('Ignored ticket "abc": it is not a ticket number.',)),
        ("?ticket=0", None, ('Ignored ticket "0": it is not a ticket number.',)),
        (
            "?ticket=5&ticket=6",
            5,
            ("Ignored a second ticket in the link; used the first.",),
        ),
        ("?ticket=", None, ('Ignored ticket "": it is not a ticket number.',)),
    ],
)
def test_drill001_ticket_in_the_link(search, ticket, notices):
    parsed = parse(search)
    assert parsed.ticket == ticket
    assert parsed.notices == notices


def test_drill002_ticket_goes_last_in_the_url():
    assert to_search(Filters(status="open"), 42) == "?status=open&ticket=42"
    assert to_search(Filters(), 42) == "?ticket=42"
    assert to_search(Filters(status="open")) == "?status=open"
    assert parse(to_search(Filters(month="2025-03"), 7)).ticket == 7


@pytest.mark.parametrize(
    ("trigger", "search", "ticket", "expected_ticket", "controls", "url"),
    [
        # A row click opens the ticket and pushes it into the URL with the filters.
        (ids.TICKETS_GRID, "?status=open", 9, 9, False, True),
        # Closing the panel removes it from the URL.
        (ids.CONVERSATION, "?status=open&ticket=9", None, None, False, True),
        # Back/forward or a link: the URL says which ticket is open.
        (ids.URL, "?status=open&ticket=9", None, 9, True, False),
        (None, "?status=open&ticket=9", None, 9, True, False),
        # Changing a filter closes it.
        (ids.FILTER_STATUS, "?status=open&ticket=9", None, None, False, True),
        (ids.FILTER_RESET, "?status=open&ticket=9", None, None, True, True),
    ],
)
def test_drill003_next_view_and_the_open_ticket(
    trigger, search, ticket, expected_ticket, controls, url
):
    view = next_view(trigger, search, VALUES, None, None, ticket)
    assert view.parsed.ticket == expected_ticket
    assert (view.set_controls, view.set_url) == (controls, url)
    if trigger != ids.FILTER_RESET:
        assert view.parsed.filters == Filters(status="open")


def test_drill004_a_view_never_reads_the_support_database(tiny_engine):
    """Only the loader reads the support database: a view reads the store."""
    from sqlalchemy import event

    store = FactsStore(tiny_engine)
    store.refresh()
    checkouts = []
    event.listen(tiny_engine, "checkout", lambda *a: checkouts.append(a))
    data = view_data.load(store, Filters(), error="down")
    assert checkouts == []
    assert data.error == "down"
    assert int(data.frames["summary"].tickets[0]) == 5


# ------------------------------------------------------------- over HTTP


def _client(settings):

    engine = open_engine(None, 42)
    client = loaded_app(settings, engine=engine).server.test_client()
    return client, client.get("/_dash-dependencies").get_json(), engine


@pytest.fixture(scope="module")
def served():

    return _client(Settings())


def _count(engine, statement: str, **params) -> int:

    with engine.connect() as conn:
        return conn.execute(text(statement), params).scalar()


ROWS = f"{ids.TICKETS_GRID}.getRowsRequest"
PAGE = f"{ids.TICKETS_GRID}.getRowsResponse"  # the output that tells the callback


def test_drill010_a_request_never_gets_every_ticket(served):

    client, deps, engine = served
    request = {"startRow": 0, "endRow": 10**9, "sortModel": [], "filterModel": {}}
    response = post(client, deps, ROWS, {ROWS: request}, PAGE)
    assert response.status_code == 200
    answer = response.get_json()["response"][ids.TICKETS_GRID]["getRowsResponse"]
    assert answer["rowCount"] == _count(engine, "SELECT COUNT(*) FROM TICKET")
    assert len(answer["rowData"]) == MAX_ROWS < answer["rowCount"]


def test_drill011_forged_sort_and_range_still_answer(served):

    client, deps, engine = served
    request = {
        "startRow": "x",  # not a number: from the first row
        "endRow": None,  # missing: one page
        "sortModel": [{"colId": "1; DROP TABLE TICKET", "sort": "asc"}, "junk"],
    }
    response = post(
        client,
        deps,
        ROWS,
        {ROWS: request, f"{ids.APPLIED_FILTERS}.data": {"status": "open"}},
        PAGE,
    )
    assert response.status_code == 200
    answer = response.get_json()["response"][ids.TICKETS_GRID]["getRowsResponse"]
    opened = _count(engine, "SELECT COUNT(*) FROM TICKET WHERE ticket_status = 'open'")
    assert answer["rowCount"] == opened
    assert len(answer["rowData"]) == min(opened, PAGE_SIZE)
    assert {r["ticket_status"] for r in answer["rowData"]} == {"open"}


def test_drill012_personal_data_off_neither_shown_nor_searched():

    client, deps, engine = _client(Settings(show_personal_data=False))
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert '"field": "customer_email"' not in layout.replace('":"', '": "')
    with engine.connect() as conn:
        email = conn.execute(
            text("SELECT customer_email_address FROM CUSTOMER LIMIT 1")
        ).scalar()
    request = {"startRow": 0, "endRow": 20, "sortModel": []}
    everyone = post(client, deps, ROWS, {ROWS: request}, PAGE).get_json()["response"]
    rows = everyone[ids.TICKETS_GRID]["getRowsResponse"]["rowData"]
    assert rows
    assert all(r["customer_email"] is None for r in rows)
    assert all(r["customer_phone"] is None for r in rows)
    searched = post(
        client, deps, ROWS, {ROWS: request, f"{ids.TICKETS_SEARCH}.value": email}, PAGE
    ).get_json()["response"]
    assert searched[ids.TICKETS_GRID]["getRowsResponse"]["rowCount"] == 0


def test_drill013_a_tick_without_changes_recomputes_nothing(served):

    client, deps, _engine = served
    tick = f"{ids.REFRESH_INTERVAL}.n_intervals"
    first = post(client, deps, tick, {tick: 1}).get_json()["response"]
    token = first[ids.DATA_VERSION]["data"]
    again = post(
        client, deps, tick, {tick: 2, f"{ids.DATA_VERSION}.data": token}
    ).get_json()["response"]
    assert ids.DATA_VERSION not in again  # no_update: nothing redraws
    assert again[ids.CHECKED]["children"].startswith("checked ")


def test_drill014_the_download_links_follow_filters_search_and_sort(served):
    client, deps, _engine = served
    applied = f"{ids.APPLIED_FILTERS}.data"
    sort = {
        "startRow": 0,
        "endRow": 20,
        "sortModel": [{"colId": "n_messages", "sort": "asc"}],
    }
    answer = post(
        client,
        deps,
        applied,
        {
            applied: {"status": "open"},
            f"{ids.TICKETS_SEARCH}.value": " ann ",
            ROWS: sort,
        },
        f"{ids.TICKETS_DOWNLOAD_BUTTON}.href",
    ).get_json()["response"]
    href = answer[ids.TICKETS_DOWNLOAD_BUTTON]["href"]
    assert href == "/download/tickets.csv?status=open&q=ann&sort=n_messages%3Aasc"


def test_drill015_another_worker_catches_up_before_it_answers():
    """Two apps on one database are two gunicorn workers: A answers the tick that
    sees new data; B, asked to redraw with A's token, must not show its old data."""
    engine = open_engine(None, 42)
    workers = []
    for _ in range(2):
        app = loaded_app(Settings(), engine=engine)  # both hold the seeded data
        client = app.server.test_client()
        workers.append((app, client, client.get("/_dash-dependencies").get_json()))
    (a_app, a, a_deps), (_b_app, b, b_deps) = workers
    before = _count(engine, "SELECT COUNT(*) FROM TICKET")
    with engine.begin() as conn:
        newest = conn.execute(select(func.max(MESSAGE.c.message_sent_time))).scalar()
        for hour in range(1, 200):  # simulated hours, until a new ticket arrives
            if step(conn, random.Random(hour), newest + timedelta(hours=hour))[
                "tickets"
            ]:
                break
    assert _count(engine, "SELECT COUNT(*) FROM TICKET") > before

    assert a_app.loader.check()  # A's loader refreshes on its own clock; B's not yet
    tick = f"{ids.REFRESH_INTERVAL}.n_intervals"
    answer = post(a, a_deps, tick, {tick: 1}).get_json()["response"]
    token = answer[ids.DATA_VERSION]["data"]
    version = f"{ids.DATA_VERSION}.data"
    out = post(b, b_deps, version, {version: token}, ids.DB_ALERT).get_json()
    card = json.dumps(ids.kpi_value("tickets"), sort_keys=True, separators=(",", ":"))
    shown = out["response"][card]["data-value"]
    assert int(shown) == _count(engine, "SELECT COUNT(*) FROM TICKET")
