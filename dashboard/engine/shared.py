"""What the processes of one deployment share through Redis, when REDIS_URL is set.

- The facts snapshot: one process loads the support database (under a Redis lock)
  and publishes the facts as compressed Arrow tables; the other workers and dynos
  restore them in a second or two instead of loading the database themselves, then
  refresh incrementally from the snapshot's fingerprint like any worker does.
  While one process loads, the others show its progress.
- The reconcile's checksums (checksums.py): one process takes them from the support
  database and publishes them; the others apply them (pulling again only what moved
  for them) instead of asking the database the same question.
- Finished views (see web/view_cache.py) are cached here too, so a second viewer of
  the same view, in any worker, costs a cache read.

Everything is keyed by the deployment's namespace (REDIS_PREFIX and the database it
reads), so two dashboards may share one Redis. Redis being down is never an error
for the page: each process then loads and caches on its own.
"""

import hashlib
import json
import logging
import time
from dataclasses import astuple, dataclass

import pyarrow as pa
import redis
from sqlalchemy.engine import URL

from dashboard.config import REDIS_SNAPSHOT_TIMEOUT
from dashboard.engine import redis_link
from dashboard.engine.checksums import Checksums
from dashboard.engine.pull import Fingerprint

log = logging.getLogger(__name__)

SNAPSHOT_TTL = 7 * 24 * 3600  # seconds a published snapshot is kept
LOCK_TTL = 15 * 60  # seconds: the longest a load may hold the build lock
HEARTBEAT_TTL = 60  # seconds without progress after which a builder is presumed dead
IPC = pa.ipc.IpcWriteOptions(compression="zstd")


def namespace(prefix: str, url: URL | None) -> str:
    """Keys of one deployment: the prefix and a digest of the database it reads
    (the URL without its password, so no secret ends up in a key name)."""
    where = "demo" if url is None else url.render_as_string(hide_password=True)
    return f"{prefix}:{hashlib.sha256(where.encode()).hexdigest()[:16]}"


@dataclass(frozen=True)
class Snapshot:
    fingerprint: Fingerprint
    tables: dict[str, pa.Table]
    sums: Checksums | None = None  # the reconcile's baseline the facts are as of


def _encode(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=IPC) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _decode(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


class Shared:
    """The shared state of one deployment in Redis."""

    def __init__(self, client: redis.Redis, ns: str):
        self.redis = client
        self.ns = ns

    @classmethod
    def connect(cls, url: str, ns: str) -> "Shared":
        """The background loader's client: snapshots are megabytes, so its reads
        may take longer than a request's (it never runs in a request)."""
        return cls(redis_link.connect(url, REDIS_SNAPSHOT_TIMEOUT), ns)

    def key(self, *parts: str) -> str:
        return ":".join((self.ns, *parts))

    # ----------------------------------------------------------------- snapshot

    def publish(self, snapshot: Snapshot) -> None:
        """Store `snapshot` under a new version and point `latest` at it."""
        version = "-".join(str(v) for v in astuple(snapshot.fingerprint))
        key = self.key("snapshot", version)
        fields: dict[str | bytes, bytes | str] = {
            name: _encode(t) for name, t in snapshot.tables.items()
        }
        fields["fingerprint"] = json.dumps(astuple(snapshot.fingerprint))
        if snapshot.sums is not None:
            fields["sums"] = json.dumps(snapshot.sums.as_json())
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(key)
        pipe.hset(key, mapping=fields)
        pipe.expire(key, SNAPSHOT_TTL)
        pipe.set(self.key("snapshot", "latest"), version, ex=SNAPSHOT_TTL)
        pipe.execute()
        size = sum(len(v) for v in fields.values())
        log.info("published the facts snapshot (%.1f MB)", size / 1e6)

    def fetch(self) -> Snapshot | None:
        """The latest published snapshot, or None."""
        version = redis_link.reply(self.redis.get(self.key("snapshot", "latest")))
        if version is None:
            return None
        fields = redis_link.reply(
            self.redis.hgetall(self.key("snapshot", version.decode()))
        )
        if b"fingerprint" not in fields:
            return None  # expired meanwhile
        fingerprint = Fingerprint(*json.loads(fields.pop(b"fingerprint")))
        sums = fields.pop(b"sums", None)
        tables = {name.decode(): _decode(data) for name, data in fields.items()}
        return Snapshot(
            fingerprint,
            tables,
            None if sums is None else Checksums.from_json(json.loads(sums)),
        )

    # ------------------------------------------------------------------ reconcile

    def publish_sums(self, sums: Checksums) -> None:
        """The reconcile's newest checksums, for the other processes to apply."""
        self.redis.set(self.key("sums"), json.dumps(sums.as_json()), ex=SNAPSHOT_TTL)

    def fetch_sums(self) -> Checksums | None:
        raw = redis_link.reply(self.redis.get(self.key("sums")))
        return None if raw is None else Checksums.from_json(json.loads(raw))

    def reconcile_lock(self, ttl: float):
        """The lock one process holds while it takes the checksums."""
        return self.redis.lock(
            self.key("reconcile"), timeout=max(ttl, 1), blocking=False
        )

    # --------------------------------------------------------- who loads, progress

    def build_lock(self):
        """The lock one process holds while it loads the support database."""
        return self.redis.lock(self.key("build"), timeout=LOCK_TTL, blocking=False)

    def report(self, step: str, done: int, total: int) -> None:
        """The builder's progress, for the other processes to show."""
        value = json.dumps([step, done, total, time.time()])
        self.redis.set(self.key("progress"), value, ex=HEARTBEAT_TTL)

    def done(self) -> None:
        """The builder is done (or gave up): nobody needs to wait for it."""
        self.redis.delete(self.key("progress"))

    def progress(self) -> tuple[str, int, int] | None:
        """The builder's last progress, if it reported within HEARTBEAT_TTL."""
        raw = redis_link.reply(self.redis.get(self.key("progress")))
        if raw is None:
            return None
        step, done, total, _at = json.loads(raw)
        return step, done, total
