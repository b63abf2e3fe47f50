"""Every connection to Redis, with its bounds, and the breaker that skips Redis
for a while after it failed.

redis-py waits forever by default (no socket timeout) and retries a timed-out
command three times: one frozen Redis then holds every thread that asks it. Here
each connection has a connect and a read timeout (config.py) and no retries, and
`Breaker` makes the process go without Redis for REDIS_PAUSE_SECONDS after a
failure, so a frozen Redis costs one request about a second, not every request.

A `rediss://` URL speaks TLS and checks the server's certificate; Heroku Redis
signs its own, so its URL needs `?ssl_cert_reqs=none` (redis-py reads it from the
URL). Without it the TLS handshake fails and the process runs without Redis.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from dashboard.config import (
    REDIS_CONNECT_TIMEOUT,
    REDIS_PAUSE_SECONDS,
    REDIS_READ_TIMEOUT,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


def options(read_timeout: float = REDIS_READ_TIMEOUT) -> dict:
    """Keyword arguments for `redis.Redis.from_url` (and for the libraries that
    pass them on: the login limiter's storage): bounded waits, no retries."""
    return {
        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
        "socket_timeout": read_timeout,
        "retry": Retry(NoBackoff(), 0),
        "health_check_interval": 30,
    }


def connect(url: str, read_timeout: float = REDIS_READ_TIMEOUT) -> redis.Redis:
    """A client for `url`; no connection is made until the first command."""
    return redis.Redis.from_url(url, **options(read_timeout))


class Breaker:
    """Runs commands on one client; after a failure, answers the caller's default
    without asking Redis for `pause` seconds (then tries again)."""

    def __init__(self, client: redis.Redis, pause: float = REDIS_PAUSE_SECONDS):
        self.client = client
        self.pause = pause
        self._until = float("-inf")
        self._lock = threading.Lock()
        self._down = False

    @property
    def open(self) -> bool:
        """Whether Redis is being skipped now."""
        return time.monotonic() < self._until

    def run(self, command: Callable[[redis.Redis], T], default: T, what: str) -> T:
        """`command(client)`, or `default` when Redis fails or is being skipped;
        `what` names the use in the log."""
        if self.open:
            return default
        try:
            result = command(self.client)
        except redis.RedisError as exc:
            with self._lock:
                self._until = time.monotonic() + self.pause
                first, self._down = not self._down, True
            if first:
                log.warning(
                    "Redis failed (%s: %s): going without it for %g s",
                    what,
                    exc,
                    self.pause,
                )
            return default
        if self._down:
            with self._lock:
                self._down = False
            log.info("Redis is back (%s)", what)
        return result
