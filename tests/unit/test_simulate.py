"""The activity simulator on SQLite (foreign keys on) seeded with the mock data: the
generator's invariants still hold, nothing existing is rewritten, time only moves
forward, and the facts store picks the changes up incrementally."""

import random
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text

from dashboard.data.db import make_engine
from dashboard.data.facts import STORED
from dashboard.data.filters import Filters
from dashboard.data.schema import AGENT, CUSTOMER, MESSAGE, SENDER, TICKET, metadata
from dashboard.data.tickets import tickets_page
from dashboard.engine import pull
from dashboard.engine import store as store_module
from dashboard.engine.store import FactsStore
from seeds import populate, texts
from seeds.simulate import EVENTS, DataClock, data_rate, run, step
from tests.invariants import assert_invariants, violations

JAN = datetime(2026, 1, 1)


def seeded(scale=0.05, seed=1):
    engine = make_engine(None)  # in-memory SQLite with foreign keys enforced
    metadata.create_all(engine)
    with engine.begin() as conn:
        populate(conn, seed=seed, scale=scale)
    return engine


@pytest.fixture
def engine():
    engine = seeded()
    yield engine
    engine.dispose()


def simulate(engine, hours, every=3, seed=7, start=JAN):
    """Step every `every` hours for `hours` hours; the summed counts."""
    rng = random.Random(seed)
    totals = dict.fromkeys(EVENTS, 0)
    for h in range(0, hours + 1, every):
        with engine.connect() as conn:
            counts = step(conn, rng, start + timedelta(hours=h))
        for key in EVENTS:
            totals[key] += counts[key]
    return totals


def rows(engine, table):
    key = list(table.primary_key.columns)[0]
    with engine.connect() as conn:
        return {r[0]: tuple(r) for r in conn.execute(select(table).order_by(key))}


def scalar(engine, sql):
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_sim001_the_seeded_data_satisfies_the_invariants(engine):
    with engine.connect() as conn:
        assert violations(conn) == {}


@pytest.mark.slow  # computes for seconds
def test_sim002_invariants_hold_after_three_months_of_activity(engine):
    before = {t.name: len(rows(engine, t)) for t in (TICKET, MESSAGE, CUSTOMER)}
    resolved = scalar(
        engine, "SELECT COUNT(*) FROM TICKET WHERE ticket_status = 'resolved'"
    )
    counts = simulate(engine, hours=24 * 90)
    with engine.connect() as conn:
        assert_invariants(conn)
    assert counts["tickets"] > 0
    assert counts["resolutions"] > 0
    assert counts["agent_replies"] > 0
    assert counts["customer_replies"] > 0
    assert counts["messages"] == (
        counts["tickets"]
        + counts["agent_replies"]
        + counts["customer_replies"]
        + counts["resolutions"]
    )
    assert len(rows(engine, TICKET)) == before["TICKET"] + counts["tickets"]
    assert len(rows(engine, MESSAGE)) == before["MESSAGE"] + counts["messages"]
    assert len(rows(engine, CUSTOMER)) == before["CUSTOMER"] + counts["customers"]
    assert len(rows(engine, SENDER)) == len(rows(engine, AGENT)) + len(
        rows(engine, CUSTOMER)
    )
    now_resolved = scalar(
        engine, "SELECT COUNT(*) FROM TICKET WHERE ticket_status = 'resolved'"
    )
    assert now_resolved == resolved + counts["resolutions"]


def test_sim003_existing_rows_are_never_rewritten(engine):
    kept = (SENDER, AGENT, CUSTOMER, MESSAGE)
    before = {t: rows(engine, t) for t in kept}
    tickets = rows(engine, TICKET)
    simulate(engine, hours=24 * 60)
    for table, old in before.items():
        now = rows(engine, table)
        assert {k: now[k] for k in old} == old, table.name
    after = rows(engine, TICKET)
    for ticket_id, (_, customer, category, rating, status) in tickets.items():
        _, customer2, category2, rating2, status2 = after[ticket_id]
        assert (customer2, category2) == (customer, category)
        if status == "resolved":
            assert (rating2, status2) == (rating, status)
        elif status2 == "resolved":  # the only change: an open ticket gets resolved
            assert rating2 is None or 1 <= rating2 <= 5  # some customers never rate


def test_sim004_simulated_resolutions_end_with_the_agents_message(engine):
    open_before = {k for k, r in rows(engine, TICKET).items() if r[4] == "open"}
    first_new = scalar(engine, "SELECT MAX(ticket_id) FROM TICKET") + 1
    simulate(engine, hours=24 * 60)
    with engine.connect() as conn:
        closed = conn.execute(
            text(
                "SELECT t.ticket_id, s.sender_type FROM TICKET t"
                " JOIN MESSAGE m ON m.ticket_id = t.ticket_id"
                " JOIN SENDER s ON s.sender_id = m.sender_id"
                " WHERE t.ticket_status = 'resolved' AND m.message_sent_time = ("
                "   SELECT MAX(m2.message_sent_time) FROM MESSAGE m2"
                "   WHERE m2.ticket_id = t.ticket_id)"
            )
        ).all()
    by_simulator = [
        (tid, who) for tid, who in closed if tid in open_before or tid >= first_new
    ]
    assert by_simulator
    assert {who for _, who in by_simulator} == {"agent"}


def test_sim005_time_only_moves_forward_from_the_newest_message(engine):
    newest = scalar(engine, "SELECT MAX(message_sent_time) FROM MESSAGE")
    last_id = scalar(engine, "SELECT MAX(message_id) FROM MESSAGE")
    end = JAN + timedelta(days=30)
    simulate(engine, hours=24 * 30)
    with engine.connect() as conn:
        times = (
            conn.execute(
                select(MESSAGE.c.message_sent_time)
                .where(MESSAGE.c.message_id > last_id)
                .order_by(MESSAGE.c.message_id)
            )
            .scalars()
            .all()
        )
    assert times
    assert min(times) > datetime.fromisoformat(newest)
    assert max(times) <= end
    assert times == sorted(times)  # ids grow with time, as autoincrement would
    assert all(t.microsecond == 0 for t in times)


def test_sim006_a_now_before_the_newest_message_adds_nothing(engine):
    newest = datetime.fromisoformat(
        scalar(engine, "SELECT MAX(message_sent_time) FROM MESSAGE")
    )
    with engine.connect() as conn:
        counts = step(conn, random.Random(1), newest - timedelta(days=100))
    assert counts == dict.fromkeys(EVENTS, 0)


@pytest.mark.slow  # computes for seconds
def test_sim007_the_same_history_however_finely_it_is_stepped():
    coarse, fine = seeded(), seeded()
    simulate(coarse, hours=24 * 20, every=24 * 20)  # two steps: start and end
    simulate(fine, hours=24 * 20, every=1)
    assert rows(coarse, MESSAGE) == rows(fine, MESSAGE)
    assert rows(coarse, TICKET) == rows(fine, TICKET)


@pytest.mark.slow  # computes for seconds
def test_sim008_same_seed_same_rows_other_seed_other_texts():
    a, b, c = seeded(), seeded(), seeded()
    simulate(a, hours=24 * 20, seed=5)
    simulate(b, hours=24 * 20, seed=5)
    simulate(c, hours=24 * 20, seed=6)
    assert rows(a, MESSAGE) == rows(b, MESSAGE)
    assert rows(a, MESSAGE) != rows(c, MESSAGE)


def test_sim009_the_limit_leaves_the_rest_for_the_next_step(engine):
    with engine.connect() as conn:
        first = step(conn, random.Random(1), JAN + timedelta(days=30), limit=5)
    assert first["messages"] <= 5
    with engine.connect() as conn:
        rest = step(conn, random.Random(1), JAN + timedelta(days=30))
    assert rest["messages"] > 0
    with engine.connect() as conn:
        assert_invariants(conn)


def test_sim010_a_step_joins_the_callers_transaction(engine):
    before = scalar(engine, "SELECT COUNT(*) FROM MESSAGE")
    with engine.connect() as conn, conn.begin() as tx:
        counts = step(conn, random.Random(1), JAN + timedelta(days=30))
        assert counts["messages"] > 0
        tx.rollback()
    assert scalar(engine, "SELECT COUNT(*) FROM MESSAGE") == before


def test_sim011_works_on_the_tiny_data_and_on_an_empty_database(tiny_engine):
    with tiny_engine.connect() as conn:
        step(conn, random.Random(1), datetime(2025, 4, 1))
        assert_invariants(conn)
    empty = make_engine(None)
    metadata.create_all(empty)
    with empty.connect() as conn:
        counts = step(conn, random.Random(1), JAN)
        assert counts["tickets"] == 1
        assert counts["customers"] == 1
        step(conn, random.Random(1), JAN + timedelta(days=3))  # no agents to answer
        assert_invariants(conn)


def test_sim012_cache_sees_new_tickets_and_recomputes_only_changed_ones(
    engine, monkeypatch
):
    store = FactsStore(engine)
    store.refresh()
    last_message = scalar(engine, "SELECT MAX(message_id) FROM MESSAGE")
    statuses = {k: r[4] for k, r in rows(engine, TICKET).items()}
    n_tickets = len(statuses)

    counts = simulate(engine, hours=24 * 10, every=24)
    assert counts["tickets"] > 0

    with engine.connect() as conn:
        touched = set(
            conn.execute(
                select(MESSAGE.c.ticket_id).where(MESSAGE.c.message_id > last_message)
            ).scalars()
        )
    touched |= {k for k, r in rows(engine, TICKET).items() if statuses.get(k) != r[4]}
    recomputed = []
    original = pull.for_tickets

    def spy(conn, name, ids):
        recomputed.append((name, list(ids)))
        return original(conn, name, ids)

    monkeypatch.setattr(pull, "for_tickets", spy)
    # ten days on 19 tickets touch most of them: keep the store from reloading all
    monkeypatch.setattr(store_module, "FULL_RELOAD_SHARE", 1.0)
    assert store.refresh() is True
    assert [name for name, _ in recomputed] == ["TICKET", "MESSAGE"]
    assert all(set(ids) == touched for _, ids in recomputed)
    assert len(touched) < n_tickets + counts["tickets"]

    summary = store.run("summary", Filters())
    assert summary["tickets"][0] == n_tickets + counts["tickets"]
    # the drill-down shows the new tickets, with their (possibly new) customers
    page, total = store.read(
        lambda reader, facts: tickets_page(reader, Filters(), None, None, 0, 5, facts)
    )
    assert total == n_tickets + counts["tickets"]
    assert page["ticket_id"].max() == scalar(
        engine, "SELECT MAX(ticket_id) FROM TICKET"
    )
    assert page["customer"].notna().all()
    fresh = FactsStore(engine)
    fresh.refresh()
    tables = (STORED.tickets, STORED.ticket_agents, STORED.traffic, STORED.customers)
    for table in tables:
        got = store.read(lambda reader, facts, t=table: reader.rows(select(t)))
        want = fresh.read(lambda reader, facts, t=table: reader.rows(select(t)))
        assert sorted(got, key=repr) == sorted(want, key=repr), table.name


def test_sim013_run_loops_until_stopped_and_shifts_an_early_clock(engine):
    newest = datetime.fromisoformat(
        scalar(engine, "SELECT MAX(message_sent_time) FROM MESSAGE")
    )
    last_id = scalar(engine, "SELECT MAX(message_id) FROM MESSAGE")
    ticks = iter(range(10**6))
    stop = threading.Event()
    steps = []

    def clock():  # starts half a year before the data ends; six hours a call
        return datetime(2025, 6, 1) + timedelta(hours=6 * next(ticks))

    def on_step(counts):
        steps.append(counts)
        if len(steps) >= 120:
            stop.set()

    result = {}
    worker = threading.Thread(
        target=lambda: result.update(
            run(engine, 5.0, stop, clock, seed=3, interval=0.001, on_step=on_step)
        )
    )
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert result == {k: sum(s[k] for s in steps) for k in EVENTS}
    assert result["messages"] > 0
    with engine.connect() as conn:
        assert_invariants(conn)
        first = (
            conn.execute(
                select(MESSAGE.c.message_sent_time).where(
                    MESSAGE.c.message_id > last_id
                )
            )
            .scalars()
            .first()
        )
    assert first > newest


def test_sim014_run_refuses_a_rate_that_is_not_positive(engine):
    with pytest.raises(ValueError, match="rate"):
        run(engine, 0, threading.Event())


def test_sim015_data_clock_runs_at_its_speed(engine):
    now = [100.0]
    clock = DataClock(datetime(2026, 1, 1, 8, 0, 0, 500), 60.0, timer=lambda: now[0])
    assert clock() == datetime(2026, 1, 1, 8)
    now[0] += 2.5
    assert clock() == datetime(2026, 1, 1, 8, 2, 30)
    with pytest.raises(ValueError, match="speed must be positive"):
        DataClock(JAN, 0)
    with engine.connect() as conn:
        per_second = data_rate(conn)
    fast = DataClock.for_rate(engine, 2.0)
    assert fast.speed == pytest.approx(2.0 / per_second)
    assert fast.start == datetime.fromisoformat(
        scalar(engine, "SELECT MAX(message_sent_time) FROM MESSAGE")
    )


@pytest.mark.slow
def test_sim016_activity_looks_like_the_data():
    engine = seeded(scale=1, seed=42)
    first_new = scalar(engine, "SELECT MAX(ticket_id) FROM TICKET") + 1
    counts = simulate(engine, hours=24 * 120, every=6)
    with engine.connect() as conn:
        assert_invariants(conn)
        per_ticket = conn.execute(
            text(
                "SELECT COUNT(*), COUNT(DISTINCT CASE WHEN s.sender_type = 'agent'"
                " THEN m.sender_id END) FROM MESSAGE m"
                " JOIN SENDER s ON s.sender_id = m.sender_id"
                " JOIN TICKET t ON t.ticket_id = m.ticket_id"
                " WHERE t.ticket_id >= :first AND t.ticket_status = 'resolved'"
                " GROUP BY t.ticket_id"
            ),
            {"first": first_new},
        ).all()
        by_hour = dict(
            conn.execute(
                text(
                    "SELECT CAST(strftime('%H', message_sent_time) AS INTEGER),"
                    " COUNT(*) FROM MESSAGE WHERE message_sent_time >= '2026-01-01'"
                    " GROUP BY 1"
                )
            ).all()
        )
    # about a ticket a day, as in the data (377 in 2025)
    assert 80 <= counts["tickets"] <= 180
    messages = [n for n, _ in per_ticket]
    agents = [a for _, a in per_ticket]
    assert 8 <= sum(messages) / len(messages) <= 26  # 16.8 in the data
    assert agents.count(1) > len(agents) / 2
    assert max(agents) <= 3
    day = sum(by_hour.get(h, 0) for h in range(9, 18))
    night = sum(by_hour.get(h, 0) for h in range(0, 6))
    assert day > 10 * night  # business hours, as in the data


@pytest.mark.slow
def test_sim017_some_go_unrated_some_are_one_touch_and_agents_never_repeat():
    engine = seeded(scale=1, seed=42)
    first_new = scalar(engine, "SELECT MAX(ticket_id) FROM TICKET") + 1
    last_seeded = scalar(engine, "SELECT MAX(message_id) FROM MESSAGE")
    simulate(engine, hours=24 * 120, every=6)
    with engine.connect() as conn:
        resolved = conn.execute(
            text(
                "SELECT t.ticket_rating, SUM(CASE WHEN s.sender_type = 'agent'"
                " THEN 1 ELSE 0 END) FROM TICKET t"
                " JOIN MESSAGE m ON m.ticket_id = t.ticket_id"
                " JOIN SENDER s ON s.sender_id = m.sender_id"
                " WHERE t.ticket_id >= :first AND t.ticket_status = 'resolved'"
                " GROUP BY t.ticket_id, t.ticket_rating"
            ),
            {"first": first_new},
        ).all()
        # every ticket the simulator wrote on, seeded ones included
        said = conn.execute(
            text(
                "SELECT m.ticket_id, m.message_text FROM MESSAGE m"
                " JOIN SENDER s ON s.sender_id = m.sender_id"
                " WHERE s.sender_type = 'agent' AND m.ticket_id IN ("
                "   SELECT ticket_id FROM MESSAGE WHERE message_id > :last)"
                " ORDER BY m.message_id"
            ),
            {"last": last_seeded},
        ).all()
    unrated = sum(rating is None for rating, _ in resolved) / len(resolved)
    one_touch = sum(n == 1 for _, n in resolved) / len(resolved)
    assert 0.08 <= unrated <= 0.40
    assert 0.03 <= one_touch <= 0.30
    sentences = {}
    for ticket_id, message in said:
        sentences.setdefault(ticket_id, []).extend(texts.sentences(message))
    assert len(sentences) > 100
    for ticket_id, ticket_sentences in sentences.items():
        assert len(ticket_sentences) == len(set(ticket_sentences)), ticket_id
