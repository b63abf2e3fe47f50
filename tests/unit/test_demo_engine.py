"""The zero-configuration demo database is one in-memory SQLite shared by threads: the
simulator writing while the dashboard reads must lose nothing and corrupt nothing."""

import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select

from dashboard.data.filters import Filters
from dashboard.data.schema import MESSAGE
from dashboard.engine.store import FactsStore
from seeds.demo import demo_engine
from seeds.simulate import run
from tests.invariants import assert_invariants


def count_messages(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(MESSAGE)).scalar()


def test_demo001_simulator_and_readers_share_the_demo_database_safely():
    engine = demo_engine(seed=5, scale=0.05)
    before = count_messages(engine)
    store = FactsStore(engine)
    stop, errors, written = threading.Event(), [], []
    simulated = [datetime(2026, 1, 1)]

    def clock():  # a few hours of support traffic per step
        simulated[0] += timedelta(hours=3)
        return simulated[0]

    def simulate():
        try:
            run(
                engine,
                50.0,
                stop,
                clock,
                seed=1,
                interval=0.001,
                on_step=lambda counts: written.append(counts["messages"]),
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    writer = threading.Thread(target=simulate)
    writer.start()
    try:
        for i in range(300):
            count_messages(engine)
            if i % 10 == 0:
                store.refresh()
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors
    assert sum(written) > 0
    # every message the simulator reports as written is really there
    assert count_messages(engine) == before + sum(written)
    with engine.connect() as conn:
        assert_invariants(conn)
    store.refresh()
    assert store.run("summary", Filters())["tickets"].item() > 0
