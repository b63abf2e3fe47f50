"""The facts store (DuckDB) loads the support database in ranges, follows every kind
of change incrementally, and then gives exactly the reports the direct SQL gives."""

import threading
from datetime import datetime

import pytest
from sqlalchemy import create_engine, func, select, update

from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.data.schema import CUSTOMER, TICKET, metadata
from dashboard.engine import pull
from dashboard.engine.store import FactsStore
from tests import tiny
from tests.frames import assert_same_frames


def assert_store_matches_direct(store, engine):
    for name, report in REPORTS.items():
        for filters in (Filters(), Filters(agent=2), Filters(month="2025-02")):
            with engine.connect() as conn:
                direct = report(conn, filters)
            assert_same_frames(store.run(name, filters), direct, f"{name} {filters}")


@pytest.fixture
def store(tiny_engine):
    store = FactsStore(tiny_engine)
    assert store.refresh()
    return store


def test_store001_nothing_changed_recomputes_nothing(store):
    version = store.version
    assert not store.refresh()
    assert store.version == version
    assert store.checked_at is not None


def test_store002_a_new_reply_is_picked_up(store, tiny_engine):
    with tiny_engine.begin() as conn:
        tiny.add_message(conn, 5, 2, "2025-02-25 16:30")  # Bob answers T5
    assert store.refresh()
    (backlog,) = store.run("backlog", Filters()).to_dict("records")
    assert backlog["never_answered"] == 0
    assert_store_matches_direct(store, tiny_engine)


def test_store003_a_resolution_without_a_message_is_picked_up(store, tiny_engine):
    with tiny_engine.begin() as conn:
        conn.execute(
            update(TICKET)
            .where(TICKET.c.ticket_id == 4)
            .values(ticket_status="resolved", ticket_rating=1)
        )
    assert store.refresh()
    assert store.run("summary", Filters())["open_tickets"].item() == 1
    assert_store_matches_direct(store, tiny_engine)


def test_store004_a_rating_change_alone_is_picked_up(store, tiny_engine):
    with tiny_engine.begin() as conn:
        conn.execute(
            update(TICKET).where(TICKET.c.ticket_id == 2).values(ticket_rating=5)
        )
    assert store.refresh()
    assert_store_matches_direct(store, tiny_engine)


def test_store005_a_new_customer_and_ticket_are_picked_up(store, tiny_engine):
    with tiny_engine.begin() as conn:
        tiny.add_customer(conn, 3, 13, "eve@example.com")
        tiny.add_ticket(conn, 6, 3, [(13, "2025-03-01 08:00")])
    assert store.refresh()
    assert store.run("summary", Filters())["tickets"].item() == 6
    assert_store_matches_direct(store, tiny_engine)


def test_store006_an_empty_store_answers_with_empty_reports(tiny_engine):
    store = FactsStore(tiny_engine)
    assert store.fingerprint is None
    assert store.run("summary", Filters())["tickets"].item() == 0
    assert store.run("tickets-per-agent", Filters()).empty


def test_store007_the_load_reads_tables_in_ranges_of_keys(tiny_engine, monkeypatch):
    monkeypatch.setattr(pull, "STEP", 2)  # 5 tickets, 14 messages: several ranges
    statements = []
    real = pull.ranges

    def counting(conn, name, upto, after=0):
        for rows in real(conn, name, upto, after):
            statements.append((name, len(rows)))
            yield rows

    monkeypatch.setattr(pull, "ranges", counting)
    store = FactsStore(tiny_engine)
    assert store.refresh()
    pulled = {}
    for name, n in statements:
        pulled.setdefault(name, []).append(n)
    assert pulled["TICKET"] == [2, 2, 1]
    assert sum(pulled["MESSAGE"]) == 14
    assert max(pulled["MESSAGE"]) <= 2
    assert_store_matches_direct(store, tiny_engine)


def test_store008_phone_numbers_stored_as_text_are_kept(tiny_engine):
    with tiny_engine.begin() as conn:  # SQLite keeps whatever it is given
        conn.execute(
            update(CUSTOMER)
            .where(CUSTOMER.c.customer_id == 1)
            .values(customer_phone_no="+1 (555) 010-9999")
        )
    store = FactsStore(tiny_engine)
    assert store.refresh()
    phones = dict(
        store.read(
            lambda reader, facts: reader.rows(
                facts.customers.select().with_only_columns(
                    facts.customers.c.customer_id, facts.customers.c.customer_phone_no
                )
            )
        )
    )
    assert phones[1] == "+1 (555) 010-9999"
    assert phones[2] is None or phones[2].isdigit()


def test_store009_readers_on_several_threads_run_at_once(tiny_engine):
    store = FactsStore(tiny_engine)
    store.refresh()
    barrier = threading.Barrier(4, timeout=10)
    results = []

    def read():
        barrier.wait()  # all four inside the store at the same moment
        results.append(store.run("summary", Filters())["tickets"].item())

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert results == [5, 5, 5, 5]


def test_store010_a_refresh_is_atomic_for_readers(tiny_engine):
    """While refreshes add tickets, every reader sees a whole state: the summary's
    ticket count always equals the number of rows of the tickets table."""
    store = FactsStore(tiny_engine)
    store.refresh()
    stop, seen, errors = threading.Event(), set(), []

    def read():
        while not stop.is_set():
            try:
                both = store.read(_count_both)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return
            seen.add(both)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(6, 12):
            with tiny_engine.begin() as conn:
                tiny.add_ticket(conn, i, 1, [(11, f"2025-03-{i:02d} 08:00")])
            assert store.refresh()
    finally:
        stop.set()
        reader.join(timeout=10)
    assert not errors
    assert all(a == b for a, b in seen), seen
    assert store.run("summary", Filters())["tickets"].item() == 11


def _count_both(reader, facts):
    from dashboard.data.reports import summary

    tickets = summary(reader, Filters(), facts)["tickets"].item()
    rows = reader.scalar(select(func.count()).select_from(facts.tickets))
    return tickets, rows


def test_store011_read_all_answers_from_one_data_version(tmp_path):
    """The queries of one view run side by side; when a refresh lands between
    them, they all run again, so the view never mixes two versions."""
    source = create_engine(f"sqlite:///{tmp_path / 'support.db'}")  # any thread
    metadata.create_all(source)
    with source.begin() as conn:
        tiny.build(conn)
    store = FactsStore(source)
    store.refresh()
    first_done, runs = threading.Event(), []

    def before_refresh(reader, facts):
        tickets = REPORTS["summary"](reader, Filters(), facts)["tickets"].item()
        first_done.set()
        return tickets

    def after_refresh(reader, facts):
        if not runs:
            runs.append("refresh")
            assert first_done.wait(10)
            with source.begin() as conn:
                tiny.add_ticket(conn, 6, 1, [(11, "2025-03-01 08:00")])
            assert store.refresh()
        return REPORTS["summary"](reader, Filters(), facts)["tickets"].item()

    both = store.read_all({"a": before_refresh, "b": after_refresh})
    assert both == {"a": 6, "b": 6}
    assert runs == ["refresh"]


def test_store012_many_changed_tickets_are_loaded_again_whole(
    store, tiny_engine, monkeypatch
):
    loads = []
    real = FactsStore._load
    monkeypatch.setattr(
        FactsStore, "_load", lambda self, *a: loads.append(a) or real(self, *a)
    )
    with tiny_engine.begin() as conn:  # 2 of 5 tickets change: more than a fifth
        tiny.add_message(conn, 4, 2, "2025-02-21 10:00")
        tiny.add_message(conn, 5, 2, "2025-02-25 16:00")
    assert store.refresh()
    assert len(loads) == 1
    assert_store_matches_direct(store, tiny_engine)


def test_store013_a_timezone_moves_every_fact_to_its_wall_clock(tiny_engine):
    """TIMEZONE: the database's times are read as UTC and shown in the zone, so the
    facts' days, months, weekdays and hours are the zone's (New York: 5 h earlier
    in winter). Durations do not change."""
    utc, york = (
        FactsStore(tiny_engine),
        FactsStore(tiny_engine, timezone="America/New_York"),
    )
    utc.refresh()
    york.refresh()
    # T1 opened Mon 2025-01-06 09:00 UTC: 04:00 in New York, still that Monday
    hours = utc.run("busiest-hours", Filters(category="Wrong order"))
    moved = york.run("busiest-hours", Filters(category="Wrong order"))
    assert hours[["weekday", "hour"]].values.tolist() == [[0, 9]]  # T3: Mon 09:00
    assert moved[["weekday", "hour"]].values.tolist() == [[0, 4]]
    assert_same_frames(
        york.run("resolution-time", Filters()), utc.run("resolution-time", Filters())
    )
    assert york.meta.newest_message_at == datetime(2025, 2, 25, 10, 0)
