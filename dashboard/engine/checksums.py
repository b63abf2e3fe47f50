"""The reconcile's question to the support database: what changed, whatever changed.

The cheap check (pull.fingerprint) sees what only grows: new messages and tickets,
resolutions, ratings, people. An edit that leaves every count and sum as it was (a
ticket recategorised, an agent renamed, a message deleted from the middle) needs a
look at the rows themselves: per table the store reads, and per bucket of ids, the
number of rows and the sum of a checksum of every column the store pulls
(pull.SOURCES, so every column the page or the CLI shows from the store): a CRC-32
of the row as text, or for MESSAGE, all integers and times, each column times the
row's id (see _mixed). A few
hundred numbers at 1000x; the buckets whose numbers moved since the last look are
pulled again (store.FactsStore.reconcile).

The sums are compared with the last ones taken, not with the store's copy: the store
keeps facts, not the rows, and a baseline taken before the rows are pulled is safe
(an edit made after it moves a bucket the next time). MESSAGE is bucketed by ticket,
so that a moved bucket names the tickets to pull again. Message text is not summed:
the store holds none (the conversation panel reads it from the database when it
opens).
"""

import hashlib
import json
import time
from dataclasses import dataclass, field

from sqlalchemy import DateTime, func, literal_column, select
from sqlalchemy.engine import Connection

from dashboard.data.dialect import epoch_seconds, register_crc32, row_checksum
from dashboard.engine.pull import SOURCES

BUCKET = 4096  # ids per bucket: ~90 buckets per table at 1000x
PRIME = 2_147_483_647  # 2**31 - 1: a bucket's sum of mixed checksums stays exact
# The column that buckets each table: MESSAGE's rows go with their ticket's bucket.
BY = {"MESSAGE": "ticket_id"}
TABLES = tuple(SOURCES)  # SENDER, AGENT, CUSTOMER, TICKET, MESSAGE
PER_TICKET = ("TICKET", "MESSAGE")  # a moved bucket: its tickets are pulled again

Sums = dict[str, dict[int, tuple[int, int]]]  # table -> bucket -> (rows, CRC sum)


@dataclass(frozen=True)
class Checksums:
    """The support database's sums at `at` (epoch seconds, taken before anything is
    pulled after them). `version` is their digest: it names the data in the page's
    token and in /healthz, the same in every worker that holds the same data."""

    at: float
    version: int
    sums: Sums = field(repr=False)

    def as_json(self) -> dict:
        return {
            "at": self.at,
            "version": self.version,
            "sums": {
                name: [[b, n, crc] for b, (n, crc) in sorted(buckets.items())]
                for name, buckets in self.sums.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> "Checksums":
        sums = {
            name: {int(b): (int(n), int(crc)) for b, n, crc in rows}
            for name, rows in data["sums"].items()
        }
        return cls(float(data["at"]), int(data["version"]), sums)


def statement(name: str):
    """Per bucket of table `name`: (bucket, rows, sum of the rows' checksums)."""
    source = SOURCES[name]
    table = source.table
    key = table.c[BY.get(name, source.key.name)]
    summed = {table.c[n] for _, n, _ in source.columns} | set(table.primary_key)
    columns = [c for c in table.columns if c in summed]  # the table's order
    bucket = key // literal_column(str(BUCKET))
    return select(
        bucket.label("bucket"),
        func.count().label("n"),
        func.sum(
            _mixed(table, columns) if source.packed else row_checksum(*columns)
        ).label("crc"),
    ).group_by(bucket)


def _mixed(table, columns):
    """A row's checksum without text, for a table of integers and times (MESSAGE,
    6.3 M rows at 1000x): each column times the primary key, modulo a prime. An edit
    of a column moves it by id * change; two rows swapping values move it by
    (id1 - id2) * change. A third cheaper on MariaDB than CRC32 of the row as
    text, which formats every time (BENCHMARKS.md)."""
    (pk,) = table.primary_key
    terms = [
        (pk * (epoch_seconds(c) if isinstance(c.type, DateTime) else c)) % PRIME
        for c in columns
        if c is not pk
    ]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def take(conn: Connection) -> Checksums:
    """The sums of every table now."""
    if conn.dialect.name == "sqlite":
        register_crc32(conn.connection.driver_connection)
    at = time.time()
    sums = {name: _sums(conn.execute(statement(name))) for name in TABLES}
    return Checksums(at, digest(sums), sums)


def _sums(rows) -> dict[int, tuple[int, int]]:
    return {int(b): (int(n), int(crc or 0)) for b, n, crc in rows}


def digest(sums: Sums) -> int:
    """The sums' content as a number below 2**48 (exact in JavaScript): workers that
    took the same sums of the same data agree on it, whenever they took them."""
    text = json.dumps(sorted((k, sorted(v.items())) for k, v in sums.items()))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=6).digest())


def moved(old: Checksums, new: Checksums) -> dict[str, list[int]]:
    """Per table, the buckets whose rows or sums differ (appeared or gone too)."""
    out = {}
    for name in TABLES:
        before, now = old.sums.get(name, {}), new.sums.get(name, {})
        buckets = sorted(
            b for b in before.keys() | now.keys() if before.get(b) != now.get(b)
        )
        if buckets:
            out[name] = buckets
    return out


def bucket_range(column, bucket: int):
    """The condition `column` is in `bucket` (a primary-key or index range)."""
    return (column >= bucket * BUCKET, column < (bucket + 1) * BUCKET)
