"""The per-ticket facts kept in the app's memory and refreshed incrementally.

The support database is read-only to us, so derived rows live in a private in-memory
SQLite. A cheap fingerprint query says whether anything changed; when it did, only the
tickets with new messages or a new status or rating are recomputed in the database.
Reports then run here, over one row per ticket instead of every message.
"""

import threading
import time
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import create_engine, delete, func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from dashboard.filters import Filters
from dashboard.relations import CACHED, LIVE, Relations, cache_metadata, live
from dashboard.reports import REPORTS
from dashboard.schema import AGENT, MESSAGE, TICKET

_CHUNK = 20_000


@dataclass(frozen=True)
class Fingerprint:
    """What a refresh compares: changes to messages, tickets or agents move it."""

    max_message_id: int
    newest_message_at: datetime | None
    tickets: int
    resolved: int
    rating_sum: int
    agents: int


def fingerprint(conn: Connection) -> Fingerprint:
    """One round trip of index-only aggregates: milliseconds even at 100x data."""
    t = TICKET.c
    row = conn.execute(
        select(
            select(func.coalesce(func.max(MESSAGE.c.message_id), 0)).scalar_subquery(),
            select(func.max(MESSAGE.c.message_sent_time)).scalar_subquery(),
            select(func.count()).select_from(TICKET).scalar_subquery(),
            select(func.count()).where(t.ticket_status == "resolved").scalar_subquery(),
            select(func.coalesce(func.sum(t.ticket_rating), 0)).scalar_subquery(),
            select(func.count()).select_from(AGENT).scalar_subquery(),
        )
    ).one()
    return Fingerprint(
        int(row[0]), row[1], int(row[2]), int(row[3]), int(row[4]), int(row[5])
    )


def _copy(source: Connection, target: Connection, query, table) -> None:
    result = source.execute(query)
    keys = [c.name for c in table.columns]
    while rows := result.fetchmany(_CHUNK):
        target.execute(insert(table), [dict(zip(keys, r, strict=True)) for r in rows])


def _copy_relation(src: Connection, dst: Connection, rel: Relations, name: str) -> None:
    """Copy relation `name` of `rel` (in the database) into its cache table."""
    table = getattr(CACHED, name)
    source = getattr(rel, name)
    _copy(src, dst, select(*(source.c[c.name] for c in table.columns)), table)


class FactsCache:
    """Per-ticket facts of one support database, held in memory; thread-safe."""

    def __init__(self, source: Engine):
        self.source = source
        self.engine = create_engine(
            "sqlite+pysqlite://",
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
        cache_metadata.create_all(self.engine)
        self._lock = threading.RLock()
        self.fingerprint: Fingerprint | None = None
        self.version = 0  # bumped whenever the cached facts change
        self.checked_at: float | None = None  # epoch seconds of the last check

    def refresh(self) -> bool:
        """Bring the cache up to date; True when anything changed."""
        with self.source.connect() as src:
            new = fingerprint(src)
            with self._lock:
                self.checked_at = time.time()
                if new == self.fingerprint:
                    return False
                with self.engine.begin() as dst:
                    if self.fingerprint is None:
                        self._load(src, dst, None)
                    else:
                        self._load(src, dst, self._changed_ids(src, dst))
                self.fingerprint = new
                self.version += 1
                return True

    def _changed_ids(self, src: Connection, dst: Connection) -> list[int]:
        """Tickets with new messages, plus new tickets and changed status or rating."""
        new_messages = select(MESSAGE.c.ticket_id).where(
            MESSAGE.c.message_id > self.fingerprint.max_message_id
        )
        ids = set(src.execute(new_messages.distinct()).scalars())
        ticket_cols = (
            TICKET.c.ticket_id,
            TICKET.c.ticket_status,
            TICKET.c.ticket_rating,
        )
        cached_cols = (
            CACHED.tickets.c.ticket_id,
            CACHED.tickets.c.ticket_status,
            CACHED.tickets.c.ticket_rating,
        )
        current = set(src.execute(select(*ticket_cols)).tuples())
        cached = set(dst.execute(select(*cached_cols)).tuples())
        ids |= {row[0] for row in current ^ cached}
        return sorted(ids)

    def _load(self, src: Connection, dst: Connection, ids: list[int] | None) -> None:
        """(Re)compute the facts of `ids` (None: every ticket) from the database."""
        tables = (CACHED.tickets, CACHED.ticket_agents, CACHED.traffic)
        if ids is None:
            for table in tables:
                dst.execute(delete(table))
            self._load_part(src, dst, None)
        else:
            for start in range(0, len(ids), _CHUNK):
                part = ids[start : start + _CHUNK]
                for table in tables:
                    dst.execute(delete(table).where(table.c.ticket_id.in_(part)))
                self._load_part(src, dst, part)
        for people in ("agents", "customers"):  # small: reloaded whole
            dst.execute(delete(getattr(CACHED, people)))
            _copy_relation(src, dst, LIVE, people)

    @staticmethod
    def _load_part(src: Connection, dst: Connection, ids: list[int] | None) -> None:
        rel = live(ids)
        for name in ("tickets", "ticket_agents", "traffic"):
            _copy_relation(src, dst, rel, name)

    def read(self, query, *args):
        """`query(connection, *args, CACHED)` on the cached facts, under the lock."""
        with self._lock, self.engine.connect() as conn:
            return query(conn, *args, CACHED)

    def run(self, name: str, filters: Filters) -> pd.DataFrame:
        """Report `name` on the cached facts (call refresh() first for fresh data)."""
        return self.read(REPORTS[name], filters)
