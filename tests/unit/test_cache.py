"""The in-memory facts cache follows every kind of change incrementally and then gives
exactly the reports the live SQL gives."""

from datetime import datetime

import pytest
from sqlalchemy import insert, update

from dashboard.cache import FactsCache
from dashboard.filters import Filters
from dashboard.reports import REPORTS
from dashboard.schema import CUSTOMER, MESSAGE, SENDER, TICKET
from tests.frames import assert_same_frames


def assert_cache_matches_live(cache, engine):
    for name, report in REPORTS.items():
        for filters in (Filters(), Filters(agent=2), Filters(month="2025-02")):
            with engine.connect() as conn:
                live = report(conn, filters)
            assert_same_frames(cache.run(name, filters), live, f"{name} {filters}")


def message(conn, ticket, sender, when, text="..."):
    conn.execute(
        insert(MESSAGE).values(
            ticket_id=ticket,
            sender_id=sender,
            message_sent_time=datetime.fromisoformat(when),
            message_text=text,
        )
    )


@pytest.fixture
def cache(tiny_engine):
    cache = FactsCache(tiny_engine)
    assert cache.refresh()
    return cache


def test_nothing_changed_recomputes_nothing(cache):
    version = cache.version
    assert not cache.refresh()
    assert cache.version == version
    assert cache.checked_at is not None


def test_a_new_reply_is_picked_up(cache, tiny_engine):
    with tiny_engine.begin() as conn:
        message(conn, 5, 2, "2025-02-25 16:30")  # Bob answers T5
    assert cache.refresh()
    (backlog,) = cache.run("backlog", Filters()).to_dict("records")
    assert backlog["never_answered"] == 0
    assert_cache_matches_live(cache, tiny_engine)


def test_a_resolution_without_a_message_is_picked_up(cache, tiny_engine):
    with tiny_engine.begin() as conn:
        conn.execute(
            update(TICKET)
            .where(TICKET.c.ticket_id == 4)
            .values(ticket_status="resolved", ticket_rating=1)
        )
    assert cache.refresh()
    assert cache.run("summary", Filters())["open_tickets"].item() == 1
    assert_cache_matches_live(cache, tiny_engine)


def test_a_rating_change_alone_is_picked_up(cache, tiny_engine):
    with tiny_engine.begin() as conn:
        conn.execute(
            update(TICKET).where(TICKET.c.ticket_id == 2).values(ticket_rating=5)
        )
    assert cache.refresh()
    assert_cache_matches_live(cache, tiny_engine)


def test_a_new_customer_and_ticket_are_picked_up(cache, tiny_engine):
    with tiny_engine.begin() as conn:
        conn.execute(insert(SENDER).values(sender_id=13, sender_type="customer"))
        conn.execute(
            insert(CUSTOMER).values(
                customer_id=3,
                sender_id=13,
                customer_email_address="eve@example.com",
                customer_first_name="Eve",
                customer_last_name="Fox",
            )
        )
        conn.execute(
            insert(TICKET).values(
                ticket_id=6,
                customer_id=3,
                ticket_category="Wrong order",
                ticket_status="open",
            )
        )
        message(conn, 6, 13, "2025-03-01 08:00")
    assert cache.refresh()
    assert cache.run("summary", Filters())["tickets"].item() == 6
    assert_cache_matches_live(cache, tiny_engine)
