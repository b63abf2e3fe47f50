"""Reads of the support database that a visitor waits for (the open conversation).

Everything else a request needs is answered from memory (the facts store, the view
cache), so a slow or locked table can only take the threads that read it. Those
reads are bounded twice, per worker: at most `Settings.db_read_slots` at once (a
request beyond them is told at once that the database is busy, and its thread is
free again), and each stops after `Settings.db_read_timeout_seconds` on MySQL. With
the Procfile's 4 threads and 3 slots, one thread is always left for `/login`,
`/healthz` and the views.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine

from dashboard.config import Settings
from dashboard.data.db import make_engine

log = logging.getLogger(__name__)

BUSY = "The database is busy; try again in a moment."
# How long a read waits for a slot: long enough to take one that a quick read frees,
# short enough that a thread turned away is free again at once.
SLOT_WAIT = 0.05


class Busy(Exception):
    """Every read slot of this worker is taken."""


class Reads:
    """Connections for interactive reads, at most `slots` at once."""

    def __init__(self, engine: Engine, slots: int, wait: float = SLOT_WAIT):
        self.engine = engine
        self._slots = threading.BoundedSemaphore(slots)
        self._wait = wait

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection while a slot is free; Busy when none frees up in time."""
        if not self._slots.acquire(timeout=self._wait):
            log.warning("every database read slot is taken: answered busy")
            raise Busy
        try:
            with self.engine.connect() as conn:
                yield conn
        finally:
            self._slots.release()


def reads(settings: Settings, engine: Engine) -> Reads:
    """The interactive reads for the app on `engine`. On MySQL they get a pool of
    their own whose statements are bounded by DB_READ_TIMEOUT_SECONDS (the app's
    engine keeps QUERY_TIMEOUT_SECONDS for the loader's long reads); SQLite and the
    demo share the app's engine, which is the only way to reach an in-memory one."""
    url = settings.database_url
    if url is None or engine.dialect.name != "mysql":
        return Reads(engine, settings.db_read_slots)
    bounded = make_engine(
        url,
        query_timeout=settings.db_read_timeout_seconds,
        create=False,
        timeout_setting="DB_READ_TIMEOUT_SECONDS",
        pool_size=settings.db_read_slots,  # a read with a slot never waits for one
    )
    return Reads(bounded, settings.db_read_slots)
