"""The reconcile on MariaDB (MySQL 8's sql_mode): each everyday edit, those the cheap
check cannot see included, reaches the facts store; expected values are every report
and the tickets table run directly on the edited database (tests/edits.py)."""

import uuid
import zlib
from collections import defaultdict
from datetime import datetime

import pytest
import redis
from sqlalchemy import select

from dashboard.engine import checksums
from dashboard.engine.loader import Loader
from dashboard.engine.pull import SOURCES
from dashboard.engine.shared import Shared
from dashboard.engine.store import FactsStore
from tests import edits
from tests.mysql import seeded_database

pytestmark = pytest.mark.mysql
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def seeded():
    with seeded_database(seed=7, scale=1.0, prefix="csd_reconcile") as (_url, engine):
        yield engine


@pytest.fixture(scope="module")
def store(seeded):
    # Buckets of 32 tickets: the seeded ~380 tickets in a dozen, so an edit pulls
    # one bucket again rather than everything.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checksums, "BUCKET", 32)
        store = FactsStore(seeded)
        assert store.refresh()
        yield store


# Per table: the bucketing column, and every column the store reads (in the
# table's order), which the sums must cover.
SHOWN = {
    "SENDER": ("sender_id", ("sender_id", "sender_type")),
    "AGENT": (
        "agent_id",
        ("agent_id", "sender_id", "agent_first_name", "agent_last_name"),
    ),
    "CUSTOMER": (
        "customer_id",
        (
            "customer_id",
            "sender_id",
            "customer_email_address",
            "customer_first_name",
            "customer_last_name",
            "customer_phone_no",
        ),
    ),
    "TICKET": (
        "ticket_id",
        (
            "ticket_id",
            "customer_id",
            "ticket_category",
            "ticket_rating",
            "ticket_status",
        ),
    ),
    "MESSAGE": (
        "ticket_id",
        ("message_id", "ticket_id", "sender_id", "message_sent_time"),
    ),
}


def crc(values) -> int:
    """CRC-32 of the row as text, '|' between columns, NULL as ''."""
    return zlib.crc32("|".join("" if v is None else str(v) for v in values).encode())


def mixed(message_id, ticket_id, sender_id, sent) -> int:
    """MESSAGE's checksum: each column times the id, modulo 2**31 - 1; the time as
    whole seconds since 1970."""
    p = 2**31 - 1
    epoch = int((sent - datetime(1970, 1, 1)).total_seconds())
    return sum(message_id * v % p for v in (ticket_id, sender_id, epoch))


def test_recmy001_checksums_equal_a_computation_in_python(seeded):
    """MariaDB's sums per bucket against the same sums worked out in Python on the
    rows: zlib's CRC-32 of each row as text; MESSAGE's mixed integers."""
    with seeded.connect() as conn:
        taken = checksums.take(conn)
        assert taken.sums.keys() == SHOWN.keys()
        for name, (by, columns) in SHOWN.items():
            table = SOURCES[name].table
            by = table.c[by]
            want: dict[int, list[int]] = defaultdict(lambda: [0, 0])
            for row in conn.execute(select(by, *(table.c[c] for c in columns))):
                bucket = want[row[0] // checksums.BUCKET]
                bucket[0] += 1
                bucket[1] += mixed(*row[1:]) if name == "MESSAGE" else crc(row[1:])
            assert taken.sums[name] == {b: tuple(v) for b, v in want.items()}, name


@pytest.mark.slow  # computes for seconds
@pytest.mark.parametrize("name", list(edits.EDITS))
def test_recmy002_each_edit_arrives(store, seeded, name):
    """One edit after the other on the same database and store."""
    with seeded.begin() as conn:
        edits.EDITS[name](conn)
    if name in edits.UNSEEN:
        assert not store.refresh()  # the cheap check sees nothing
    digest = store.meta.sums.version
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checksums, "BUCKET", 32)
        assert store.reconcile()
    assert store.meta.sums.version != digest
    edits.assert_store_shows_the_database(store, seeded)


@pytest.mark.redis
def test_recmy003_workers_share_the_sums_through_redis(seeded):
    """One loader takes the sums and publishes them; another applies them (the
    same sums, not its own) and shows the same data."""
    shared = Shared.connect(REDIS_URL, f"csd-test-{uuid.uuid4().hex[:8]}")
    try:
        a, b = (
            Loader(FactsStore(seeded), None, 0, shared=shared, reconcile=300)
            for _ in range(2)
        )
        for loader in (a, b):
            loader.check()
        with seeded.begin() as conn:
            edits.swap_categories(conn)
        assert a.reconcile()
        published = shared.fetch_sums()
        assert published == a.store.meta.sums
        assert b.reconcile()
        assert b.store.meta.sums == published  # applied, not taken again
        edits.assert_store_shows_the_database(b.store, seeded, every_filter=False)
    finally:
        keys = list(shared.redis.scan_iter(f"{shared.ns}:*"))
        if keys:
            shared.redis.delete(*keys)


@pytest.mark.slow  # computes for seconds
def test_recmy004_redis_down_reconciles_alone(seeded):
    shared = Shared(
        redis.Redis(port=1, socket_connect_timeout=0.2), f"csd-test-{uuid.uuid4()}"
    )
    loader = Loader(FactsStore(seeded), None, 0, shared=shared, reconcile=300)
    loader.store.refresh()
    with seeded.begin() as conn:
        edits.swap_categories(conn)
    assert loader.reconcile()
    assert loader.error is None
    edits.assert_store_shows_the_database(loader.store, seeded, every_filter=False)
