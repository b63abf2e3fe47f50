"""Keeps the facts store up to date in the background, never inside a request.

One thread per process: it loads the facts when the app starts, then asks the
support database whether anything changed every `interval` seconds (auto-refresh)
and applies the changes. Requests only read the store: a page served while the data
loads shows the load's progress instead of waiting for it, and a database that is
locked or down costs a request nothing (the thread's statements are bounded by the
query timeout; the page shows the reason).

Every `reconcile` / 2 seconds it also reconciles (checksums.py): it takes the support
database's checksums and pulls again what moved, so that any edit, even one the cheap
check cannot see, is in the facts within `reconcile` seconds.

With Redis (shared.py), the first load is shared: a published snapshot is restored;
otherwise one process loads, under a lock, and publishes, while the others show its
progress and then restore its snapshot. The checksums are shared too: sums another
process took less than `reconcile` / 4 seconds ago are applied instead of asking
the database again (so an edit waits at most reconcile / 4 + reconcile / 2).
"""

import contextlib
import logging
import threading
import time

import redis
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from dashboard.data.db import DatabaseError, check_schema, user_message
from dashboard.engine import checksums
from dashboard.engine.shared import Shared
from dashboard.engine.store import FactsStore, Progress

log = logging.getLogger(__name__)

RETRY_SECONDS = (2, 5, 10, 30)  # waits before retrying a failed first load
UNEXPECTED = "The data cannot be loaded because of an error in the dashboard."
WAIT = object()  # another process takes the checksums (Loader._shared_sums)
WAIT_SECONDS = 2  # then look for its published sums again this soon


class Loader:
    """The background thread that loads and refreshes one FactsStore."""

    def __init__(
        self,
        store: FactsStore,
        url: URL | None,
        interval: float,
        shared: Shared | None = None,
        reconcile: float = 0,
    ):
        self.store = store
        self.url = url
        self.interval = interval  # seconds between checks; 0: load only
        self.shared = shared
        self.reconcile_every = reconcile / 2  # seconds; 0: never
        self._reconcile_due = time.monotonic() + self.reconcile_every
        self.error: str | None = None  # why the last attempt failed, for the page
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._done = threading.Condition()
        self._failures = 0
        self._thread: threading.Thread | None = None

    def start(self) -> "Loader":
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="facts-loader", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def poke(self) -> None:
        """Check the database now instead of at the next interval."""
        self._wake.set()

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the next attempt to end; True if one
        did. (Asks for one now.)"""
        with self._done:
            self.poke()
            return self._done.wait(timeout)

    def check(self) -> bool:
        """One attempt, in the calling thread: load or refresh, record the outcome.
        True when the data changed."""
        changed = False
        try:
            if self.store.fingerprint is None and self.shared is not None:
                changed = self._first_load_shared(self.shared)
            changed = self.store.refresh() or changed
        except SQLAlchemyError as exc:
            self.error = self._reason(exc)
            self._failures += 1
        except Exception:  # a bug, not the database: keep serving what we have
            log.exception("loading the facts failed")
            self.error = UNEXPECTED
            self._failures += 1
        else:
            self.error = None
            self._failures = 0
        with self._done:
            self._done.notify_all()
        return changed

    def reconcile(self) -> bool:
        """One reconcile, in the calling thread (see the module's docstring); True
        when the data changed. A failure is recorded as `check`'s are."""
        self._reconcile_due = time.monotonic() + self.reconcile_every
        changed = False
        try:
            sums, lock = self._shared_sums()
            if lock is WAIT:  # another process is taking them: apply them soon
                self._reconcile_due = time.monotonic() + WAIT_SECONDS
                return False
            try:
                changed = self.store.reconcile(sums)
                sums = self.store.meta.sums
                if lock is not None and self.shared is not None and sums is not None:
                    self.shared.publish_sums(sums)
            finally:
                if lock is not None:
                    _release(lock)
        except SQLAlchemyError as exc:
            self.error = self._reason(exc)
        except redis.RedisError as exc:
            log.warning("Redis cannot be used (%s): reconciling without it", exc)
        except Exception:
            log.exception("reconciling the facts failed")
            self.error = UNEXPECTED
        return changed

    def _shared_sums(self) -> tuple[checksums.Checksums | None, object]:
        """(sums, None): apply the sums another process took lately; (None, lock):
        take them under `lock` and publish them; (None, WAIT): another process is
        taking them; (None, None): take them alone (no Redis, or Redis failed)."""
        if self.shared is None or self.store.fingerprint is None:
            return None, None
        try:
            published = self.shared.fetch_sums()
            if published is not None and (
                time.time() - published.at < self.reconcile_every / 2
            ):
                return published, None
            lock = self.shared.reconcile_lock(self.reconcile_every)
            return None, lock if lock.acquire() else WAIT
        except redis.RedisError as exc:
            log.warning("Redis cannot be used (%s): reconciling without it", exc)
            return None, None

    def _first_load_shared(self, shared: Shared) -> bool:
        """Restore the published snapshot, or be the one process that loads and
        publishes it, or wait for the one that does. False: load alone (Redis
        failed, or the other loader vanished)."""
        try:
            if self._restore(shared):
                return True
            lock = shared.build_lock()
            if lock.acquire():
                try:
                    shared.report("", 0, 0)  # a heartbeat at once: others wait
                    self.store.on_progress = shared.report
                    self.store.refresh()
                    shared.publish(self.store.snapshot())
                finally:
                    self.store.on_progress = None
                    shared.done()
                    _release(lock)
                return True
            # Another process loads: show its progress until it is done (its
            # heartbeat gone) or presumed dead (no heartbeat for HEARTBEAT_TTL).
            while lock.locked() and (progress := shared.progress()) is not None:
                self.store.progress = Progress(*progress)
                if self._stop.wait(1):
                    return False
            return self._restore(shared)
        except redis.RedisError as exc:
            log.warning("Redis cannot be used (%s): loading without it", exc)
            return False

    def _restore(self, shared: Shared) -> bool:
        snapshot = shared.fetch()
        if snapshot is None:
            return False
        self.store.restore(snapshot)
        log.info("facts restored from the shared snapshot")
        return True

    def _reason(self, exc: SQLAlchemyError) -> str:
        """What the page says (user terms); the server log gets the details."""
        try:  # a missing table is reported by the driver as an error, too
            check_schema(self.store.source, self.url)
        except DatabaseError as reason:
            return user_message(reason)
        except SQLAlchemyError:
            pass  # the same trouble: explained by `exc`
        return user_message(exc, self.url)

    def _next_wait(self) -> float | None:
        if self.store.fingerprint is None and self._failures:
            return RETRY_SECONDS[min(self._failures, len(RETRY_SECONDS)) - 1]
        waits = [self.interval] if self.interval else []
        if self.reconcile_every:
            waits.append(max(self._reconcile_due - time.monotonic(), 0))
        return min(waits) if waits else None  # None: only when poked

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            self.check()
            if self.reconcile_every and time.monotonic() >= self._reconcile_due:
                self.reconcile()
            log.debug("facts check took %.3f s", time.perf_counter() - started)
            self._wake.wait(self._next_wait())
            self._wake.clear()


def _release(lock) -> None:
    # LockError: it expired, the load took longer than LOCK_TTL
    with contextlib.suppress(redis.exceptions.LockError):
        lock.release()
