"""The open ticket in the URL (urlstate, next_view) and the snapshot a live-refresh
tick asks for without refreshing the cache again."""

import pytest

from dashboard import ids, snapshot
from dashboard.callbacks import next_view
from dashboard.filters import Filters
from dashboard.urlstate import parse, to_search

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


class CountingCache:
    """Counts how often a snapshot refreshes the cache."""

    fingerprint = None
    refreshes = 0

    def refresh(self):
        self.refreshes += 1
        return False


def test_drill004_a_refreshed_load_does_not_refresh_again():
    cache = CountingCache()
    snap = snapshot.load(cache, Filters(), None, refreshed=True, error="down")
    assert cache.refreshes == 0
    assert snap.error == "down"
    snapshot.load(cache, Filters(), None)
    assert cache.refreshes == 1
