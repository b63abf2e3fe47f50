"""The per-ticket facts of one support database, in an in-process DuckDB database.

The support database is read-only to us, so everything derived lives here, in the
app's memory. A full load pulls the few columns the facts need (pull.py, in ranges of
primary keys) into DuckDB and computes the facts there with the very queries the
reports run directly (facts.direct(), compiled for DuckDB): one definition of each
fact, whichever engine computes it. After that, a cheap fingerprint question says
whether anything changed; if so only the changed tickets are pulled and recomputed.

Readers never wait for a lock: each runs on its own DuckDB cursor, and a load or a
refresh swaps in its result atomically (a whole new database for a full load, one
transaction for a refresh), so a reader sees the data before or after, never half.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import cast, select
from sqlalchemy.engine import Engine

from dashboard.data.facts import DIRECT, STORED
from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.data.schema import TICKET
from dashboard.engine import checksums, pull
from dashboard.engine.checksums import Checksums
from dashboard.engine.duck import Reader, compile_sql
from dashboard.engine.pull import Fingerprint
from dashboard.engine.shared import Snapshot

log = logging.getLogger(__name__)

# The support tables the facts are computed from, in the order they are pulled (the
# biggest last); their columns are pull.SOURCES'.
RAW = ("SENDER", "AGENT", "CUSTOMER", "TICKET", "MESSAGE")
KEPT = ("SENDER", "AGENT")  # raw tables a refresh computes facts with
PER_TICKET = ("tickets", "ticket_agents", "traffic")  # facts made from TICKET+MESSAGE
PEOPLE = {"agents": "AGENT", "customers": "CUSTOMER"}  # facts copied from people
STEPS = {  # what the page says while a table is pulled
    "SENDER": "people",
    "AGENT": "people",
    "CUSTOMER": "customers",
    "TICKET": "tickets",
    "MESSAGE": "messages",
}
FULL_RELOAD_SHARE = 0.2  # more changed tickets than this: load everything again
READ_ALL_TRIES = 3  # then one after the other, which a publish cannot split
READ_ALL_THREADS = 4


@dataclass(frozen=True)
class Progress:
    """What a load is doing, for the page: 'Loading messages: 2.1 M of 6.3 M'."""

    step: str = ""  # "tickets", "messages", "customers", "facts"; "" when idle
    done: int = 0
    total: int = 0
    started_at: float | None = None


@dataclass
class Meta:
    """What the store holds, apart from the facts themselves."""

    fingerprint: Fingerprint | None = None
    newest_message_at: datetime | None = None
    loaded_at: float | None = None  # epoch seconds of the last full load
    sums: Checksums | None = None  # the support database's, as of the last reconcile
    extras: dict = field(default_factory=dict)  # memoised per data version


def _facts_query(name: str):
    """Facts `name` as direct() computes them, with the store's column types."""
    table = getattr(STORED, name)
    computed = getattr(DIRECT, name)
    return select(
        *(cast(computed.c[c.name], c.type).label(c.name) for c in table.columns)
    )


class FactsStore:
    """The facts of the support database behind `source`; thread-safe."""

    def __init__(
        self, source: Engine, *, timezone: str = "UTC", threads: int | None = None
    ):
        self.source = source
        self.timezone = timezone  # the facts' times: the database's (UTC) moved here
        self._threads = threads
        self._db = self._new_database()
        self._create(self._db.cursor(), empty=True)
        self._write = threading.Lock()  # one load or refresh at a time
        self.meta = Meta()
        self.version = 0  # bumped whenever the facts change
        # Odd while a change is being published (see read_all): a sequence lock.
        self._seq = 0
        self.checked_at: float | None = None  # epoch seconds of the last check
        self.progress = Progress()
        self.on_progress: Callable[[str, int, int], None] | None = None

    # ------------------------------------------------------------------ reading

    @property
    def fingerprint(self) -> Fingerprint | None:
        return self.meta.fingerprint

    @property
    def reconciled_at(self) -> float | None:
        """Epoch seconds: every edit made before then is in the facts."""
        sums = self.meta.sums
        return None if sums is None else sums.at

    # Every read hands the query the facts explicitly: `query(reader, facts)`, where
    # `facts` are the store's tables (facts.STORED). Bind anything else a query
    # needs beforehand (a lambda or functools.partial).

    def read(self, query: Callable):
        """`query(reader, facts)` on a cursor of its own and in one transaction:
        every statement of the query sees the same data."""
        cursor = self._db.cursor()
        try:
            cursor.execute("BEGIN TRANSACTION")
            return query(Reader(cursor), STORED)
        finally:
            _rollback(cursor)  # nothing to keep: readers never write
            cursor.close()

    def read_all(self, queries: dict[str, Callable]) -> dict:
        """Each `query(reader, facts)` at once, each on a cursor of its own (DuckDB
        runs them side by side, outside the GIL), all on the same data: if a change
        was published meanwhile (the sequence lock moved), they run again; after
        a few tries, one after the other in one read."""
        for _ in range(READ_ALL_TRIES):
            before = self._seq
            if before % 2 == 0:
                with ThreadPoolExecutor(READ_ALL_THREADS) as pool:  # ~0.1 ms
                    run = {k: pool.submit(self.read, q) for k, q in queries.items()}
                    results = {k: future.result() for k, future in run.items()}
                if self._seq == before:
                    return results
            time.sleep(0.01)
        return self.read(
            lambda reader, facts: {k: q(reader, facts) for k, q in queries.items()}
        )

    def batches(self, statement: Callable, vectors: int = 8):
        """`statement(facts)`'s result as DataFrames, a few thousand rows at a time,
        from one consistent read (the cursor lives as long as the iteration)."""
        cursor = self._db.cursor()
        try:
            cursor.execute("BEGIN TRANSACTION")
            yield from Reader(cursor).batches(statement(STORED), vectors)
        finally:
            _rollback(cursor)
            cursor.close()

    def run(self, name: str, filters: Filters) -> pd.DataFrame:
        """Report `name` on the facts."""
        return self.read(lambda reader, facts: REPORTS[name](reader, filters, facts))

    def memo(self, key, compute: Callable):
        """`compute()` once per data version (e.g. the filter choices)."""
        meta = self.meta
        if key not in meta.extras:
            meta.extras[key] = compute()
        return meta.extras[key]

    # ------------------------------------------------------------------ writing

    def refresh(self) -> bool:
        """Bring the facts up to date with the support database; True when anything
        changed. The first call loads everything."""
        with self._write:
            with self.source.connect() as src:
                new = pull.fingerprint(src)
                self.checked_at = time.time()
                old = self.meta.fingerprint
                if new == old:
                    return False
                if old is None:
                    self._load(src, new)
                else:
                    self._update(src, old, new)
            self.version += 1
            return True

    def reconcile(self, sums: Checksums | None = None) -> bool:
        """Catch every edit the cheap check cannot see: take the support database's
        checksums (or apply `sums`, taken by another worker), and pull again the
        buckets that moved since the last ones; True when anything changed. Does
        nothing before the first load."""
        with self._write:
            if self.meta.fingerprint is None:
                return False
            with self.source.connect() as src:
                old = self.meta.fingerprint
                before = self.meta.sums
                if sums is None:
                    sums = checksums.take(src)
                elif before is not None and sums.at <= before.at:
                    return False  # not newer than what the store has applied
                new = pull.fingerprint(src)
                self.checked_at = time.time()
                if before is None:  # a snapshot without sums: start afresh
                    self._load(src, new)
                    self.version += 1
                    return True
                buckets = checksums.moved(before, sums)
                if not buckets and new == old:
                    self.meta = replace(self.meta, sums=sums)
                    return False
                extra = self._bucket_ids(src, buckets)
                people = bool(buckets.keys() - set(checksums.PER_TICKET))
                self._update(src, old, new, extra, people, sums)
            self.version += 1
            log.info(
                "reconciled: %s moved buckets, %s tickets pulled again",
                sum(len(b) for b in buckets.values()),
                f"{len(extra):,}",
            )
            return True

    def _bucket_ids(self, src, buckets: dict[str, list[int]]) -> set[int]:
        """The tickets of the TICKET and MESSAGE buckets that moved: those the
        database has and those the store has (deleted ones included)."""
        wanted = {b for name in checksums.PER_TICKET for b in buckets.get(name, ())}
        ids: set[int] = set()
        for bucket in sorted(wanted):
            within = checksums.bucket_range(TICKET.c.ticket_id, bucket)
            ids.update(src.execute(select(TICKET.c.ticket_id).where(*within)).scalars())

            def stored(reader, facts, bucket=bucket):
                t = facts.tickets.c
                within = checksums.bucket_range(t.ticket_id, bucket)
                return reader.rows(select(t.ticket_id).where(*within))

            ids.update(row[0] for row in self.read(stored))
        return ids

    def _publish(self, db, meta: Meta) -> None:
        """Swap in a new database and its meta (readers see one or the other)."""
        self._seq += 1
        self._db, self.meta = db, meta
        self._seq += 1

    def _new_database(self) -> duckdb.DuckDBPyConnection:
        config: dict[str, Any] = {}
        if self._threads is not None:
            config["threads"] = self._threads
        return duckdb.connect(":memory:", config=config)

    def _report(self, step: str, done: int, total: int) -> None:
        started = self.progress.started_at or time.time()
        self.progress = Progress(step, done, total, started)
        if self.on_progress is not None:
            self.on_progress(step, done, total)

    # ------------------------------------------------------- snapshots (shared.py)

    def snapshot(self) -> Snapshot:
        """The facts, and the people a refresh needs, as Arrow tables."""
        if self.meta.fingerprint is None:  # the loader publishes only after a load
            raise RuntimeError("no facts to snapshot before the first load")
        cursor = self._db.cursor()
        try:
            cursor.execute("BEGIN TRANSACTION")
            tables = {
                name: cursor.sql(f'SELECT * FROM "{name}"').to_arrow_table()
                for name in (*KEPT, *PER_TICKET, *PEOPLE)
            }
        finally:
            _rollback(cursor)
            cursor.close()
        return Snapshot(self.meta.fingerprint, tables, self.meta.sums)

    def restore(self, snapshot: Snapshot) -> None:
        """Replace the facts with a snapshot another process published; refreshes
        then continue from its fingerprint."""
        with self._write:
            db = self._new_database()
            cur = db.cursor()
            try:
                for name, table in snapshot.tables.items():
                    cur.register("snapshot_table", table)
                    cur.execute(
                        f'CREATE TABLE "{name}" AS SELECT * FROM snapshot_table'
                    )
                    cur.unregister("snapshot_table")
                meta = Meta(
                    snapshot.fingerprint, _newest(cur), time.time(), snapshot.sums
                )
            finally:
                cur.close()
            self._publish(db, meta)
            self.version += 1

    def _pull_all(self, src, cur, name: str, into: str) -> None:
        """Support table `name`, whole, into raw table `into` (see _create_raw)."""
        upto = pull.max_key(src, name)
        _create_raw(cur, name, into)
        done = 0
        for part in pull.ranges(src, name, upto):
            _append(cur, into, local(part, self.timezone))
            done += part.num_rows
            self._report(STEPS[name], done, upto)

    def _load(self, src, new: Fingerprint, sums: Checksums | None = None) -> None:
        """Everything, into a new database that replaces the current one at once.
        The checksums are taken first, the reconcile's baseline (checksums.py),
        unless `sums` taken before this pull (by a reconcile) are that baseline."""
        db = self._new_database()
        cur = db.cursor()
        self.progress = Progress("tickets", 0, new.tickets, time.time())
        try:
            if sums is None:
                sums = checksums.take(src)
            for name in RAW:
                self._pull_all(src, cur, name, name)
            self._report("facts", 0, 1)
            self._create(cur)
            meta = Meta(new, _newest(cur), time.time(), sums)
        finally:
            cur.close()
            self.progress = Progress()
        self._publish(db, meta)
        log.info(
            "facts loaded: %s tickets, %s messages",
            f"{new.tickets:,}",
            f"{new.max_message_id:,}",
        )

    def _create(self, cur, empty: bool = False) -> None:
        """The facts tables from the raw tables, which are then dropped (but for
        the people's, kept for later refreshes)."""
        if empty:
            for name in RAW:
                _create_raw(cur, name, name)
        for name in (*PER_TICKET, *PEOPLE):
            sql, params = compile_sql(_facts_query(name))
            cur.execute(f"CREATE TABLE {name} AS {sql}", params)
        for name in RAW:
            if name not in KEPT:
                cur.execute(f'DROP TABLE "{name}"')

    def _update(
        self,
        src,
        old: Fingerprint,
        new: Fingerprint,
        extra: set[int] | frozenset[int] = frozenset(),
        people: bool = False,
        sums: Checksums | None = None,
    ) -> None:
        """Recompute the changed tickets' facts and those in `extra` (and the
        people, if they changed or `people` says so); `sums` become the store's
        baseline."""
        changed = set(self._changed_ids(src, old, new)) | set(extra)
        people = people or (old.agents, old.customers) != (new.agents, new.customers)
        cur = self._db.cursor()
        try:
            whole = False
            if people:
                for name in KEPT:
                    self._pull_all(src, cur, name, f"{name}_new")
                self._pull_all(src, cur, "CUSTOMER", "CUSTOMER")
                whole = _senders_retyped(cur)  # whose messages are whose: all again
                changed |= _tickets_of_edited_agents(cur)
            if whole or len(changed) > FULL_RELOAD_SHARE * max(new.tickets, 1):
                self._load(src, new, sums)
                return
            ids = sorted(changed)
            for name in ("TICKET", "MESSAGE"):
                _create_raw(cur, name, name)
                for part in pull.for_tickets(src, name, ids):
                    _append(cur, name, local(part, self.timezone))
            cur.execute("BEGIN TRANSACTION")
            if people:
                for name in KEPT:
                    cur.execute(f'DELETE FROM "{name}"')
                    cur.execute(f'INSERT INTO "{name}" SELECT * FROM "{name}_new"')
                for name in PEOPLE:
                    sql, params = compile_sql(_facts_query(name))
                    cur.execute(f"DELETE FROM {name}")
                    cur.execute(f"INSERT INTO {name} {sql}", params)
            cur.register(
                "changed_ids", pa.table({"ticket_id": pa.array(ids, pa.int64())})
            )
            for name in PER_TICKET:
                cur.execute(
                    f"DELETE FROM {name} WHERE ticket_id IN "
                    "(SELECT ticket_id FROM changed_ids)"
                )
                sql, params = compile_sql(_facts_query(name))
                cur.execute(f"INSERT INTO {name} {sql}", params)
            cur.unregister("changed_ids")
            newest = _newest(cur)
            self._seq += 1  # odd: a change is being published (read_all)
            cur.execute("COMMIT")
            self.meta = Meta(new, newest, self.meta.loaded_at, sums or self.meta.sums)
        except BaseException:
            _rollback(cur)
            raise
        finally:
            self._seq += self._seq % 2  # even again, published or not
            cur.close()

    def _changed_ids(self, src, old: Fingerprint, new: Fingerprint) -> list[int]:
        """Tickets with new messages, new tickets, and tickets whose status or rating
        changed (found by comparing per-bucket checksums, only when those moved)."""
        ids = pull.new_message_tickets(src, old.max_message_id)
        ids |= pull.new_tickets(src, old.max_ticket_id)
        moved = (old.resolved, old.rating_sum, old.tickets + len(ids)) != (
            new.resolved,
            new.rating_sum,
            new.tickets,
        )
        if not moved:
            return sorted(ids)
        now = _by_bucket(src.execute(pull.checksums(TICKET)))
        before = _by_bucket(
            self.read(lambda reader, facts: reader.rows(pull.checksums(facts.tickets)))
        )
        changed = now.keys() | before.keys()
        buckets = sorted(b for b in changed if now.get(b) != before.get(b))
        if buckets:
            current = set(src.execute(pull.states(TICKET, buckets)).tuples())
            stored = self.read(
                lambda reader, facts: reader.rows(pull.states(facts.tickets, buckets))
            )
            ids |= {row[0] for row in current ^ set(stored)}
        return sorted(ids)


def _senders_retyped(cur) -> bool:
    """Whether a sender kept its id but changed its type (SENDER against
    SENDER_new, just pulled). A deleted sender has no messages left (the foreign
    key), so it changes no fact."""
    return (
        cur.execute(
            'SELECT count(*) FROM "SENDER" o JOIN "SENDER_new" n USING (sender_id) '
            "WHERE o.sender_type <> n.sender_type"
        ).fetchone()[0]
        > 0
    )


def _tickets_of_edited_agents(cur) -> set[int]:
    """The tickets whose facts name an agent who was renamed or removed (AGENT
    against AGENT_new, before they are swapped): their agent_names change."""
    rows = cur.execute(
        "SELECT DISTINCT ticket_id FROM ticket_agents WHERE agent_id IN (SELECT "
        'agent_id FROM (SELECT * FROM "AGENT" EXCEPT SELECT * FROM "AGENT_new"))'
    ).fetchall()
    return {row[0] for row in rows}


def _by_bucket(rows) -> dict[int, tuple[int, ...]]:
    return {int(b): tuple(int(v or 0) for v in sums) for b, *sums in rows}


def _create_raw(cur, name: str, table: str) -> None:
    """An empty table `table` with support table `name`'s pulled columns: kept in the
    database for SENDER and AGENT, else temporary (it goes with the cursor). The
    two never share a name: DuckDB would look in the temporary ones first."""
    kind = "TABLE" if table in KEPT else "TEMP TABLE"
    cur.register("empty_raw", pull.SOURCES[name].schema.empty_table())
    cur.execute(f'CREATE OR REPLACE {kind} "{table}" AS SELECT * FROM empty_raw')
    cur.unregister("empty_raw")


def local(part: pa.Table, zone: str) -> pa.Table:
    """`part` with its timestamps (the database's, read as UTC) as wall-clock times in
    `zone`: months, days, weekdays and hours of the facts are then `zone`'s."""
    if zone == "UTC":
        return part
    for i, column in enumerate(part.schema):
        if pa.types.is_timestamp(column.type):
            unit = column.type.unit
            utc = part.column(i).cast(pa.timestamp(unit, tz="UTC"))
            zoned = utc.cast(pa.timestamp(unit, tz=zone))
            # pyarrow-stubs types a cast to a timestamp as an array of plain Scalars,
            # which local_timestamp's signature (TimestampScalars) does not take
            wall = pc.local_timestamp(zoned)  # type: ignore[arg-type]
            part = part.set_column(i, column.name, wall)
    return part


def _append(cur, table: str, part: pa.Table) -> None:
    if part.num_rows:
        cur.register("pulled", part)
        cur.execute(f'INSERT INTO "{table}" SELECT * FROM pulled')
        cur.unregister("pulled")


def _newest(cur) -> datetime | None:
    row = cur.execute("SELECT max(last_message_at) FROM tickets").fetchone()
    return None if row is None else row[0]


def _rollback(cur) -> None:
    """Undo an open transaction, if there is one."""
    with contextlib.suppress(duckdb.Error):  # none was open
        cur.execute("ROLLBACK")
