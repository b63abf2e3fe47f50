"""Finished views, cached per (data version, filters): in Redis, shared by every
process, or in this process's memory (flask-caching) without Redis.

A view (every KPI and chart for one set of filters) depends only on the data and
the filters, so the first viewer of a view pays for the reports and the figures and
every later one gets the finished outputs. The data version is the store's
fingerprint: new data makes new keys, and old ones expire. A cache that fails
(Redis down) only costs the render.

Redis is bounded three ways, so that one viewer clicking through filters cannot
fill it: a view larger than VIEW_CACHE_MAX_BYTES is not stored; a view is first
stored for RARE_TTL seconds and kept for TIMEOUT only once a second viewer asks for
it; and at most VIEW_CACHE_MAX_VIEWS views are kept, the least recently used go.
"""

import hashlib
import json
import logging
import pickle
import time
from collections.abc import Callable
from dataclasses import astuple

from flask import Flask
from flask_caching import Cache

from dashboard.config import VIEW_CACHE_MAX_BYTES, VIEW_CACHE_MAX_VIEWS
from dashboard.data.filters import Filters
from dashboard.engine import redis_link
from dashboard.engine.pull import Fingerprint

log = logging.getLogger(__name__)

TIMEOUT = 3600  # seconds a view that was asked for twice is kept
RARE_TTL = 120  # seconds a view asked for once is kept
MEMORY_VIEWS = 500  # views kept per process without Redis


class RedisViews:
    """Finished views in Redis under `prefix`, with a sorted set (`prefix` +
    "index") of when each was last used, for the count bound."""

    def __init__(
        self,
        breaker: redis_link.Breaker,
        prefix: str,
        max_bytes: int = VIEW_CACHE_MAX_BYTES,
        max_views: int = VIEW_CACHE_MAX_VIEWS,
    ):
        self.breaker = breaker
        self.prefix = prefix
        self.index = prefix + "index"
        self.max_bytes = max_bytes
        self.max_views = max_views

    def get(self, name: str) -> dict | None:
        """The view, kept for TIMEOUT from now on (it was asked for again)."""
        key = self.prefix + name

        def read(client):
            pipe = client.pipeline(transaction=False)
            pipe.get(key)
            pipe.expire(key, TIMEOUT)
            pipe.zadd(self.index, {name: time.time()}, xx=True)
            return pipe.execute()[0]

        data = self.breaker.run(read, None, "view cache read")
        return None if data is None else pickle.loads(data)

    def set(self, name: str, value: dict) -> None:
        """Store the view for RARE_TTL, unless it is too large; drop the least
        recently used views beyond max_views."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_bytes:
            log.info("a finished view of %d bytes is not cached", len(data))
            return
        now = time.time()

        def write(client):
            pipe = client.pipeline(transaction=False)
            pipe.set(self.prefix + name, data, ex=RARE_TTL)
            pipe.zadd(self.index, {name: now})
            pipe.zremrangebyscore(self.index, "-inf", now - TIMEOUT)  # expired
            pipe.expire(self.index, TIMEOUT)
            pipe.zcard(self.index)
            count = pipe.execute()[-1]
            if count > self.max_views:
                evicted = client.zpopmin(self.index, count - self.max_views)
                client.delete(*(self.prefix + n.decode() for n, _ in evicted))

        self.breaker.run(write, None, "view cache write")


def cache(
    server: Flask,
    redis_url: str | None,
    namespace: str,
    breaker: redis_link.Breaker | None = None,
):
    """The view cache: Redis when there is one (shared by every process; through
    `breaker`, the process's, when given), else this process's memory."""
    if redis_url:
        breaker = breaker or redis_link.Breaker(redis_link.connect(redis_url))
        return RedisViews(breaker, f"{namespace}:view:")
    config = {
        "CACHE_TYPE": "SimpleCache",
        "CACHE_THRESHOLD": MEMORY_VIEWS,
        "CACHE_DEFAULT_TIMEOUT": TIMEOUT,
    }
    return Cache(server, config=config)


def key(fingerprint: Fingerprint, filters: Filters, *extra) -> str:
    raw = json.dumps([astuple(fingerprint), filters.as_dict(), *extra])
    return hashlib.sha256(raw.encode()).hexdigest()


def cached(view_cache, name: str, compute: Callable[[], dict]) -> dict:
    """`compute()`'s result, from the cache when another viewer computed it."""
    try:
        found = view_cache.get(name)
    except Exception as exc:  # noqa: BLE001 - a broken cache must not break views
        log.warning("the view cache cannot be read: %s", exc)
        return compute()
    if found is not None:
        return found
    value = compute()
    try:
        view_cache.set(name, value)
    except Exception as exc:  # noqa: BLE001
        log.warning("the view cache cannot be written: %s", exc)
    return value
