"""`GET /healthz` for the platform's health check."""

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, jsonify
from flask_talisman import Talisman
from sqlalchemy.exc import SQLAlchemyError

from dashboard.data.db import DatabaseError

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
HEALTH_TTL = 2.0  # seconds one /healthz answer is reused: a burst costs one query


def install(
    server: Flask,
    talisman: Talisman,
    data_version: Callable[[], object],
    times: Callable[[], dict] = dict,
) -> None:
    """GET /healthz, always 200 (the app is up), reused for HEALTH_TTL seconds:

        {"database": "ok" | "down" | "unknown", "checked_at": ISO time | null,
         "reconciled_at": ISO time | null, "worker": pid, "data_version": [...]}

    It is what the worker answering knows, not a query of its own (a health check
    costs the database nothing). `times()` gives epoch seconds: `checked_at`, when
    its loader last heard from the database (None: never, and the database is
    "unknown"), and `reconciled_at`, before which every edit is in its facts.
    `data_version()` names its facts and raises when its last try failed ("down").
    Two workers may disagree for one check interval; `worker` says which answered.
    Counts and times only, no personal data."""
    lock = threading.Lock()
    last: dict = {"at": float("-inf"), "answer": None, "down": False}

    def ask() -> dict:
        known = times()
        at = known.get("checked_at")
        answer: dict[str, object] = {
            "database": "ok",
            "checked_at": _iso(at),
            "reconciled_at": _iso(known.get("reconciled_at")),
            "worker": os.getpid(),
            "data_version": None,
        }
        try:
            answer["data_version"] = data_version()
        except (DatabaseError, SQLAlchemyError, OSError) as exc:
            answer["database"] = "down"
            if not last["down"]:
                log.warning("health check: database down: %s", exc)
            return answer
        if at is None:
            answer["database"] = "unknown"
        return answer

    def healthz():
        with lock:
            if time.monotonic() - last["at"] > HEALTH_TTL:
                answer = ask()
                if last["down"] and answer["database"] == "ok":
                    log.info("health check: database back")
                last.update(
                    at=time.monotonic(),
                    answer=answer,
                    down=answer["database"] == "down",
                )
            answer = last["answer"]
        response = jsonify(answer)
        response.cache_control.no_store = True
        return response

    # A platform checks health over plain HTTP: never redirected to HTTPS.
    server.add_url_rule(HEALTH_PATH, "healthz", talisman(force_https=False)(healthz))


def _iso(epoch: float | None) -> str | None:
    """'2026-12-03T11:14:05Z': UTC, whole seconds."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
