"""Finished views, cached per (data version, filters), with flask-caching.

A view (every KPI and chart for one set of filters) depends only on the data and
the filters, so the first viewer of a view pays for the reports and the figures and
every later one, in any worker (Redis) or in this one (in memory), gets the
finished outputs. The data version is the store's fingerprint: new data makes new
keys, and old ones expire. A cache that fails (Redis down) only costs the render.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import astuple
from typing import Any

from flask import Flask
from flask_caching import Cache

from dashboard.data.filters import Filters
from dashboard.engine.pull import Fingerprint

log = logging.getLogger(__name__)

TIMEOUT = 3600  # seconds a finished view is kept
MEMORY_VIEWS = 500  # views kept per process without Redis


def cache(server: Flask, redis_url: str | None, namespace: str) -> Cache:
    """The view cache: Redis when there is one (shared by every process), else
    this process's memory."""
    config: dict[str, Any]
    if redis_url:
        config = {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": f"{namespace}:view:",
            "CACHE_OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    else:
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": MEMORY_VIEWS}
    return Cache(server, config={**config, "CACHE_DEFAULT_TIMEOUT": TIMEOUT})


def key(fingerprint: Fingerprint, filters: Filters, *extra) -> str:
    raw = json.dumps([astuple(fingerprint), filters.as_dict(), *extra])
    return hashlib.sha256(raw.encode()).hexdigest()


def cached(view_cache: Cache, name: str, compute: Callable[[], dict]) -> dict:
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
