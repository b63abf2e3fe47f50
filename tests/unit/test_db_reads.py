"""db_reads: at most N interactive reads at once, "busy" beyond them at once, and a
pool of their own, bounded by DB_READ_TIMEOUT_SECONDS, on MySQL."""

import threading
import time

import pytest
from sqlalchemy import text

from dashboard.config import Settings, database_url
from dashboard.data.db import make_engine
from dashboard.web.db_reads import Busy, Reads, reads
from seeds.demo import demo_engine


def test_rds001_reads_beyond_the_slots_are_busy_at_once():
    engine = make_engine(database_url("sqlite://"))
    slots = Reads(engine, 2, wait=0.05)
    with slots.connect() as first, slots.connect() as second:
        assert first.execute(text("SELECT 1")).scalar() == 1
        assert second.execute(text("SELECT 2")).scalar() == 2
        started = time.perf_counter()
        with pytest.raises(Busy), slots.connect():
            pass
        assert time.perf_counter() - started < 0.5
    with slots.connect() as again:  # both slots are free again
        assert again.execute(text("SELECT 3")).scalar() == 3
    engine.dispose()


def test_rds002_a_failed_read_frees_its_slot():
    engine = make_engine(database_url("sqlite://"))
    slots = Reads(engine, 1, wait=0.05)
    for _ in range(3):
        with pytest.raises(ValueError, match="the read failed"), slots.connect():
            raise ValueError("the read failed")
    with slots.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_rds003_a_slot_freed_within_the_wait_is_taken():
    engine = make_engine(database_url("sqlite://"))
    slots = Reads(engine, 1, wait=2.0)
    taken, release = threading.Event(), threading.Event()

    def hold():
        with slots.connect():
            taken.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(5)
    threading.Timer(0.2, release.set).start()
    with slots.connect() as conn:  # waits for the holder, well within 2 s
        assert conn.execute(text("SELECT 1")).scalar() == 1
    holder.join(5)
    engine.dispose()


def test_rds004_mysql_reads_get_a_pool_of_their_own_and_sqlite_shares():
    demo = demo_engine(42)
    assert reads(Settings(), demo).engine is demo
    url = database_url("mysql://reader:pw@127.0.0.1:3306/support")
    app_engine = make_engine(url)  # no connection is made until one is asked for
    own = reads(Settings(database_url=url, db_read_slots=2), app_engine)
    assert own.engine is not app_engine
    assert own.engine.url == app_engine.url
    assert own.engine.pool.size() == 2  # one connection per slot, never a wait
    own.engine.dispose()
    app_engine.dispose()
    demo.dispose()
