"""`GET /healthz` for the platform's health check."""

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, jsonify
from flask_talisman import Talisman
from sqlalchemy.exc import SQLAlchemyError

from dashboard.data.db import DatabaseError

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
HEALTH_TTL = 2.0  # seconds one /healthz answer is reused: a burst costs one query


def install(
    server: Flask, talisman: Talisman, data_version: Callable[[], object]
) -> None:
    """GET /healthz: {"database": "ok"|"down", "data_version": ...}, always 200 (the
    app is up); reused for HEALTH_TTL seconds. Counts only, no personal data.
    `data_version()` names the data the database holds; it raises when the
    database is down."""
    lock = threading.Lock()
    last: dict = {"at": float("-inf"), "answer": None, "down": False}

    def healthz():
        with lock:
            if time.monotonic() - last["at"] > HEALTH_TTL:
                try:
                    answer = {"database": "ok", "data_version": data_version()}
                except (DatabaseError, SQLAlchemyError, OSError) as exc:
                    answer = {"database": "down", "data_version": None}
                    if not last["down"]:
                        log.warning("health check: database down: %s", exc)
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
