"""The simulator on the real MariaDB, under MySQL 8's sql_mode: after it has run, every
generator invariant still holds, and the drill-down reads the new tickets."""

import random
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from dashboard.data.facts import DIRECT
from dashboard.data.filters import Filters
from dashboard.data.schema import MESSAGE, TICKET
from dashboard.data.tickets import ticket_detail, tickets_page
from seeds.simulate import EVENTS, run, step
from tests.invariants import assert_invariants
from tests.mysql import seeded_database

pytestmark = pytest.mark.mysql


@pytest.fixture(scope="module")
def mysql_seeded():
    with seeded_database(seed=1, scale=0.05, prefix="csd_sim") as (_, engine):
        yield engine


@pytest.mark.slow  # computes for seconds
def test_simmy001_invariants_hold_after_steps_and_a_run(mysql_seeded):
    engine = mysql_seeded
    with engine.connect() as conn:
        assert_invariants(conn)
        tickets_before = conn.execute(select(func.count()).select_from(TICKET)).scalar()
        newest = conn.execute(select(func.max(MESSAGE.c.message_sent_time))).scalar()

    rng = random.Random(11)
    totals = dict.fromkeys(EVENTS, 0)
    for day in range(0, 120):
        with engine.connect() as conn:
            counts = step(conn, rng, datetime(2026, 1, 1) + timedelta(days=day))
        for key in EVENTS:
            totals[key] += counts[key]
    assert totals["tickets"] > 0
    assert totals["resolutions"] > 0

    # and the loop, in a thread with its own pooled connections
    stop = threading.Event()
    calls = []
    ticks = iter(range(10**6))

    def clock():
        return datetime(2026, 5, 1) + timedelta(days=next(ticks))

    def on_step(counts):
        calls.append(counts)
        if len(calls) >= 60:
            stop.set()

    worker = threading.Thread(
        target=run,
        args=(engine, 5.0, stop, clock),
        kwargs={"seed": 2, "interval": 0.001, "on_step": on_step},
    )
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive()
    assert sum(c["messages"] for c in calls) > 0

    with engine.connect() as conn:
        assert_invariants(conn)
        tickets_after = conn.execute(select(func.count()).select_from(TICKET)).scalar()
        first_new = conn.execute(
            select(func.min(MESSAGE.c.message_sent_time)).where(
                MESSAGE.c.message_sent_time > newest
            )
        ).scalar()
        # whole seconds went in and came back out
        fractions = conn.execute(
            text(
                "SELECT COUNT(*) FROM MESSAGE WHERE MICROSECOND(message_sent_time) > 0"
            )
        ).scalar()
    assert tickets_after >= tickets_before + totals["tickets"]
    assert first_new > newest
    assert fractions == 0


def test_simmy002_drill_down_reads_simulated_tickets(mysql_seeded):
    engine = mysql_seeded
    with engine.connect() as conn:
        step(conn, random.Random(5), datetime(2026, 9, 1))
        newest_ticket = conn.execute(select(func.max(TICKET.c.ticket_id))).scalar()
        df, total = tickets_page(
            conn,
            Filters(),
            f"#{newest_ticket}",
            [("resolution_hours", "desc"), ("customer", "asc")],
            0,
            10,
            DIRECT,
        )
        assert total == 1
        assert df["ticket_id"].tolist() == [newest_ticket]
        page, total_all = tickets_page(
            conn, Filters(status="resolved"), "a", None, 0, None, DIRECT
        )
        assert 0 < len(page) == total_all
        header, messages = ticket_detail(conn, newest_ticket)
    assert header["ticket_id"] == newest_ticket
    assert header["n_messages"] == len(messages) > 0
    assert messages["sender_type"].iloc[0] == "customer"
    assert messages["sent_at"].is_monotonic_increasing
    assert all(g is None or g > 0 for g in messages["gap_hours"])
