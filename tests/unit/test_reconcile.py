"""The reconcile on SQLite: each everyday edit of the support database, including
those the cheap check cannot see (a swap of two tickets' categories leaves every
count and sum as it was), reaches the facts store; expected values are the same
reports run directly on the edited database (tests/edits.py)."""

import time
from dataclasses import astuple

import pytest
from sqlalchemy import select, update

from dashboard.data.schema import MESSAGE, TICKET
from dashboard.data.tickets import ticket_detail
from dashboard.engine import checksums
from dashboard.engine import store as store_module
from dashboard.engine.checksums import Checksums
from dashboard.engine.loader import Loader
from dashboard.engine.store import FactsStore
from dashboard.web import refresh
from seeds.demo import demo_engine
from tests import edits

# Buckets of 2 tickets, and no full load however many move: the tiny data set's 5
# tickets then exercise the reconcile's pulls of single buckets.
TINY_BUCKET = 2


@pytest.fixture
def engine():
    engine = demo_engine(42)
    yield engine
    engine.dispose()


@pytest.fixture
def tiny_store(tiny_engine, monkeypatch):
    monkeypatch.setattr(checksums, "BUCKET", TINY_BUCKET)
    monkeypatch.setattr(store_module, "FULL_RELOAD_SHARE", 10.0)
    store = FactsStore(tiny_engine)
    assert store.refresh()
    return store


@pytest.fixture
def store(engine, monkeypatch):
    monkeypatch.setattr(checksums, "BUCKET", 32)  # ~380 tickets in 12 buckets
    store = FactsStore(engine)
    assert store.refresh()
    return store


def test_reconcile001_nothing_changed_changes_nothing(tiny_store):
    store = tiny_store
    version, fingerprint, sums = store.version, store.fingerprint, store.meta.sums
    assert not store.reconcile()
    assert (store.version, store.fingerprint) == (version, fingerprint)
    assert store.meta.sums.version == sums.version  # same data, same digest
    assert store.reconciled_at >= sums.at


@pytest.mark.slow  # computes for seconds
@pytest.mark.parametrize("name", sorted(edits.EDITS))
def test_reconcile002_each_edit_arrives(tiny_store, tiny_engine, name):
    store = tiny_store
    with tiny_engine.begin() as conn:
        edits.EDITS[name](conn)
    if name in edits.UNSEEN:
        assert not store.refresh()  # the cheap check sees nothing
    loaded_at, digest = store.meta.loaded_at, store.meta.sums.version
    assert store.reconcile()  # alone: no cheap check needed for any edit
    assert store.meta.loaded_at == loaded_at  # the moved buckets, not a load
    assert store.meta.sums.version != digest
    edits.assert_store_shows_the_database(store, tiny_engine, every_filter=False)


@pytest.mark.slow  # computes for seconds
def test_reconcile003_every_edit_on_the_demo_data(store, engine):
    with engine.begin() as conn:
        for edit in edits.EDITS.values():
            edit(conn)
    assert store.reconcile()
    edits.assert_store_shows_the_database(store, engine)


@pytest.mark.slow  # computes for seconds
def test_reconcile004_with_the_default_buckets_the_same_holds(engine):
    # ~380 tickets in one bucket: more than FULL_RELOAD_SHARE, so a full load.
    store = FactsStore(engine)
    store.refresh()
    with engine.begin() as conn:
        edits.swap_categories(conn)
    assert store.reconcile()
    edits.assert_store_shows_the_database(store, engine, every_filter=False)


def test_reconcile006_a_renamed_agent_is_renamed_everywhere(tiny_store, tiny_engine):
    store, engine = tiny_store, tiny_engine
    with engine.begin() as conn:
        agent = edits.busiest_agent(conn)
        edits.rename_agent(conn)
        # Plain SQL: the tickets that agent wrote on.
        theirs = set(
            conn.exec_driver_sql(
                "SELECT DISTINCT m.ticket_id FROM MESSAGE m JOIN AGENT a "
                "ON a.sender_id = m.sender_id WHERE a.agent_id = ?",
                (agent,),
            ).scalars()
        )
    store.reconcile()
    named = store.read(
        lambda reader, facts: reader.rows(
            select(facts.tickets.c.ticket_id).where(
                facts.tickets.c.agent_names.contains("Renamed Zedd")
            )
        )
    )
    assert {row[0] for row in named} == theirs
    board = store.run("agent-leaderboard", edits.Filters())
    assert "Renamed Zedd" in set(board.astype(str).to_numpy().ravel())


def test_reconcile007_edited_message_text_is_read_where_it_is_shown(
    tiny_store, tiny_engine
):
    """The store holds no message text: the conversation reads it from the
    database when it opens, so the edit shows at once, and costs no reconcile."""
    store, engine = tiny_store, tiny_engine
    with engine.begin() as conn:
        what = edits.edit_message_text(conn)
    message = int(what.split()[1])
    with engine.connect() as conn:
        ticket = conn.execute(
            select(MESSAGE.c.ticket_id).where(MESSAGE.c.message_id == message)
        ).scalar_one()
        _, messages = ticket_detail(conn, ticket)
    texts = dict(zip(messages["message_id"], messages["text"], strict=True))
    assert texts[message] == "Edited: the order number is 12345."
    assert not store.reconcile()


def test_reconcile008_two_stores_of_the_same_data_agree(tiny_store, tiny_engine):
    store, engine = tiny_store, tiny_engine
    other = FactsStore(engine)
    other.refresh()
    assert other.meta.sums.version == store.meta.sums.version
    assert refresh.same(
        refresh.token(store.fingerprint, None, store.meta.sums),
        refresh.token(other.fingerprint, None, other.meta.sums),
    )
    with engine.begin() as conn:
        edits.swap_categories(conn)
    store.reconcile()
    # The store that reconciled is ahead of the one that has not; never the reverse.
    ahead = refresh.token(store.fingerprint, None, store.meta.sums)
    lagging = refresh.token(other.fingerprint, None, other.meta.sums)
    assert not refresh.same(ahead, lagging)
    assert refresh.behind(other.fingerprint, ahead, other.meta.sums)
    assert not refresh.behind(store.fingerprint, lagging, store.meta.sums)
    other.reconcile()
    assert other.meta.sums.version == store.meta.sums.version


def test_reconcile009_sums_taken_elsewhere_are_applied(tiny_store, tiny_engine):
    """Another worker's published sums (shared.py): applied, not taken again."""
    store, engine = tiny_store, tiny_engine
    with engine.begin() as conn:
        edits.swap_categories(conn)
        published = checksums.take(conn)
    assert store.reconcile(published)
    assert store.meta.sums == published
    edits.assert_store_shows_the_database(store, engine, every_filter=False)
    older = Checksums(published.at - 1, 1, published.sums)
    assert not store.reconcile(older)  # older than what the store holds: ignored


def test_reconcile010_checksums_move_with_each_summed_column(tiny_engine):
    engine = tiny_engine
    with engine.connect() as conn:
        before = checksums.take(conn)
    with engine.begin() as conn:
        ticket = conn.execute(select(TICKET.c.ticket_id).limit(1)).scalar_one()
        conn.execute(
            update(TICKET)
            .where(TICKET.c.ticket_id == ticket)
            .values(ticket_category=edits._other_category(conn, ticket))
        )
        after = checksums.take(conn)
    assert checksums.moved(before, after) == {"TICKET": [ticket // checksums.BUCKET]}
    assert Checksums.from_json(after.as_json()) == after


def test_reconcile011_the_loader_reconciles_on_its_own_clock(tiny_store, tiny_engine):
    store, engine = tiny_store, tiny_engine
    loader = Loader(store, None, interval=0, reconcile=300)
    assert loader.reconcile_every == 150  # half the bound: see loader.py
    with engine.begin() as conn:
        edits.swap_categories(conn)
    assert loader.reconcile()
    assert loader.error is None
    edits.assert_store_shows_the_database(store, engine, every_filter=False)


def test_reconcile012_the_navbar_says_when_and_up_to_when():
    checked = time.mktime((2026, 11, 27, 11, 14, 5, 0, 0, -1))
    reconciled = time.mktime((2026, 11, 27, 11, 10, 59, 0, 0, -1))
    assert (
        refresh.checked_text(checked, reconciled)
        == "checked 11:14:05 · all edits up to 11:10"
    )
    assert refresh.checked_text(checked) == "checked 11:14:05"
    assert refresh.checked_text(None, reconciled) == ""


def test_reconcile013_forged_reconciled_tokens_are_never_newer(tiny_store):
    store = tiny_store
    fingerprint = list(astuple(store.fingerprint))
    for forged in ([1], ["x", 10**15], [True, 10**15], "x", None, [1, 2, 3]):
        token = {"data": fingerprint, "reconciled": forged, "error": None}
        assert not refresh.behind(store.fingerprint, token, store.meta.sums), forged
