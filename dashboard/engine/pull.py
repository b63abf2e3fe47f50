"""Reading the support database: what changed, and the rows the facts are made from.

Everything here is linear in the data and kind to a server nobody tuned for us: it
reads only the columns the facts need, in ranges of primary-key values (each range
is one short statement, so progress can be shown and a statement timeout never
kills the whole load), and it needs only primary and foreign keys (no index of
ours) and a SELECT privilege. The per-ticket aggregation happens in the app's own
engine (store.py), never in one giant GROUP BY on the server.
"""

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from pyarrow import csv
from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    case,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.engine import Connection

from dashboard.data.dialect import epoch_seconds, packed
from dashboard.data.schema import AGENT, CUSTOMER, MESSAGE, SENDER, TICKET

STEP = 250_000  # primary-key values per statement when pulling a table
IDS_PER_STATEMENT = 5_000  # ticket ids bound into one statement (incremental pulls)


@dataclass(frozen=True)
class Fingerprint:
    """What a refresh compares: new messages, tickets, resolutions, ratings or people
    move it. Every field only grows as a support desk works, which lets the page tell
    newer data from older (web/refresh.py)."""

    max_message_id: int
    max_ticket_id: int
    tickets: int
    resolved: int
    rating_sum: int
    agents: int
    customers: int


def fingerprint(conn: Connection) -> Fingerprint:
    """One round trip: the newest ids (primary-key lookups), one pass over TICKET for
    its counts, and the number of people."""
    t = TICKET.c

    def one(stmt):
        return stmt.scalar_subquery()

    resolved = func.sum(case((t.ticket_status == "resolved", 1), else_=0))
    tickets = select(
        func.count(),
        func.coalesce(resolved, 0),
        func.coalesce(func.sum(t.ticket_rating), 0),
        func.coalesce(func.max(t.ticket_id), 0),
    ).subquery("t")
    row = conn.execute(
        select(
            one(select(func.coalesce(func.max(MESSAGE.c.message_id), 0))),
            *tickets.c,
            one(select(func.count()).select_from(AGENT)),
            one(select(func.count()).select_from(CUSTOMER)),
        )
    ).one()
    max_message, n, n_resolved, rating_sum, max_ticket, agents, customers = (
        int(v) for v in row
    )
    return Fingerprint(
        max_message, max_ticket, n, n_resolved, rating_sum, agents, customers
    )


@dataclass(frozen=True)
class Source:
    """One support table as the facts store pulls it: (expression, name, Arrow type)
    per column, and the primary key to range over. `packed`: every column is a
    non-null integer, so ranges travel packed (see _packed_ranges)."""

    table: Table
    key: ColumnElement
    columns: tuple[tuple[ColumnElement, str, pa.DataType], ...]
    packed: bool = False

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([(name, kind) for _, name, kind in self.columns])


def _cols(table: Table, *specs) -> tuple:
    """(column name or expression, Arrow type) pairs -> Source.columns."""
    out = []
    for spec, kind in specs:
        expr = table.c[spec] if isinstance(spec, str) else spec
        out.append((expr, spec if isinstance(spec, str) else expr.name, kind))
    return tuple(out)


INT, TEXT = pa.int64(), pa.string()
SOURCES = {
    "SENDER": Source(
        SENDER,
        SENDER.c.sender_id,
        _cols(SENDER, ("sender_id", INT), ("sender_type", TEXT)),
    ),
    "AGENT": Source(
        AGENT,
        AGENT.c.agent_id,
        _cols(
            AGENT,
            ("agent_id", INT),
            ("sender_id", INT),
            ("agent_first_name", TEXT),
            ("agent_last_name", TEXT),
        ),
    ),
    # A support database may keep phone numbers as text ("+1 ..."): always text here.
    "CUSTOMER": Source(
        CUSTOMER,
        CUSTOMER.c.customer_id,
        _cols(
            CUSTOMER,
            ("customer_id", INT),
            ("sender_id", INT),
            ("customer_email_address", TEXT),
            ("customer_first_name", TEXT),
            ("customer_last_name", TEXT),
            (
                cast(CUSTOMER.c.customer_phone_no, String(32)).label(
                    "customer_phone_no"
                ),
                TEXT,
            ),
        ),
    ),
    "TICKET": Source(
        TICKET,
        TICKET.c.ticket_id,
        _cols(
            TICKET,
            ("ticket_id", INT),
            ("customer_id", INT),
            ("ticket_category", TEXT),
            ("ticket_status", TEXT),
            ("ticket_rating", pa.int32()),
        ),
    ),
    # The time as whole seconds since 1970: integers are cheap to move and parse.
    "MESSAGE": Source(
        MESSAGE,
        MESSAGE.c.message_id,
        _cols(
            MESSAGE,
            ("ticket_id", INT),
            ("sender_id", INT),
            (
                epoch_seconds(MESSAGE.c.message_sent_time).label("message_sent_time"),
                pa.timestamp("s"),
            ),
        ),
        packed=True,
    ),
}
PACK_GROUP = 10_000  # key values per packed string (a few hundred KB of text)
PACK_MAX_BYTES = 64 * 1024 * 1024  # MySQL's group_concat_max_len for our session


def max_key(conn: Connection, name: str) -> int:
    source = SOURCES[name]
    stmt = select(func.coalesce(func.max(source.key), 0))
    return int(conn.execute(stmt).scalar_one())


def ranges(
    conn: Connection, name: str, upto: int, after: int = 0
) -> Iterator[pa.Table]:
    """The rows of table `name` whose key is in (after, upto], as an Arrow table
    of Source.schema per STEP keys."""
    source = SOURCES[name]
    if source.packed and conn.dialect.name == "mysql":
        # GROUP_CONCAT stops at this many bytes: make room for a whole group.
        conn.exec_driver_sql(f"SET SESSION group_concat_max_len = {PACK_MAX_BYTES}")
    for low in range(after, upto, STEP):
        within = (source.key > low, source.key <= min(low + STEP, upto))
        if source.packed:
            yield _packed_range(conn, source, within)
        else:
            stmt = select(*(expr for expr, _, _ in source.columns)).where(*within)
            yield arrow(conn.execute(stmt).all(), source.schema)


def _packed_range(conn: Connection, source: Source, within) -> pa.Table:
    """One range of an all-integer table as a few long CSV strings, one per
    PACK_GROUP keys, parsed by Arrow: the driver reads a handful of rows instead
    of hundreds of thousands, which is what made pulling MESSAGE slow (7x here)."""
    group = source.key // literal_column(str(PACK_GROUP))
    stmt = (
        select(func.count(), packed(*(expr for expr, _, _ in source.columns)))
        .where(*within)
        .group_by(group)
    )
    expected, texts = 0, []
    for count, text in conn.execute(stmt):
        expected += count
        texts.append(text.encode("ascii") if isinstance(text, str) else bytes(text))
    if not texts:
        return source.schema.empty_table()
    names = [name for _, name, _ in source.columns]
    table = csv.read_csv(
        io.BytesIO(b"\n".join(texts)),
        read_options=csv.ReadOptions(column_names=names),
        convert_options=csv.ConvertOptions(
            column_types={name: pa.int64() for name in names}
        ),
    )
    if table.num_rows != expected:  # cut short: never load half a range
        raise ValueError(f"a packed range of {source.table.name} was truncated")
    return pa.Table.from_arrays(
        [table[name].cast(kind) for _, name, kind in source.columns],
        schema=source.schema,
    )


def for_tickets(
    conn: Connection, name: str, ticket_ids: list[int]
) -> Iterator[pa.Table]:
    """The TICKET or MESSAGE rows of the given tickets (through the primary key or
    MESSAGE's foreign-key index), IDS_PER_STATEMENT tickets at a time."""
    source = SOURCES[name]
    column = source.table.c.ticket_id
    for start in range(0, len(ticket_ids), IDS_PER_STATEMENT):
        part = ticket_ids[start : start + IDS_PER_STATEMENT]
        stmt = select(*(expr for expr, _, _ in source.columns)).where(column.in_(part))
        yield arrow(conn.execute(stmt).all(), source.schema)


def new_message_tickets(conn: Connection, after_message_id: int) -> set[int]:
    """Tickets that got a message after `after_message_id` (a primary-key range)."""
    stmt = (
        select(MESSAGE.c.ticket_id)
        .where(MESSAGE.c.message_id > after_message_id)
        .distinct()
    )
    return set(conn.execute(stmt).scalars())


def new_tickets(conn: Connection, after_ticket_id: int) -> set[int]:
    stmt = select(TICKET.c.ticket_id).where(TICKET.c.ticket_id > after_ticket_id)
    return set(conn.execute(stmt).scalars())


BUCKET = 1024  # tickets per checksum when looking for changed statuses and ratings
STATE = ("ticket_id", "ticket_status", "ticket_rating")


def checksums(tickets) -> object:
    """Per bucket of ticket ids: a checksum of the tickets' status and rating, as a
    statement over any table with STATE's columns (TICKET, or the store's facts).

    Comparing some 370 checksums instead of 377,000 rows (at 1000x) finds the few
    tickets that were resolved or rated since the last refresh.
    """
    t = tickets.c
    bucket = _bucket(t)
    resolved = case((t.ticket_status == "resolved", t.ticket_id), else_=0)
    rating = func.coalesce(t.ticket_rating, 0)
    return select(
        bucket.label("bucket"),
        func.count().label("n"),
        func.sum(resolved).label("resolved"),
        func.sum(rating * t.ticket_id).label("rated"),
        func.sum(rating * rating * t.ticket_id).label("rated2"),
    ).group_by(bucket)


def states(tickets, buckets: list[int]):
    """The STATE columns of the tickets in `buckets`, as a statement."""
    t = tickets.c
    return select(*(t[k] for k in STATE)).where(_bucket(t).in_(buckets))


def _bucket(t):
    # The size is written into the SQL, not bound: DuckDB matches a GROUP BY
    # expression to the selected one only if they are the same, parameters included.
    return t.ticket_id // literal_column(str(BUCKET))


def arrow(rows: Sequence[Sequence[Any]], schema: pa.Schema) -> pa.Table:
    """Pulled rows as an Arrow table of `schema` (timestamps arrive as seconds)."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = [
        pa.array(values, pa.int64()).cast(field.type)
        if pa.types.is_timestamp(field.type)
        else pa.array(values, field.type)
        for values, field in zip(columns, schema, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
