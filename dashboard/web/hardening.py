"""The HTTP hardening of the Flask server under the Dash app: `install(app, ...)`.

- Each worker serves its first request alone. Dash does its per-process setup
  (`Dash._setup_server`, a before-request hook) on the first request: it marks the
  setup done, then walks the assets, builds and validates the layout (a database
  query) and only then registers the component bundles it will serve. Under gunicorn
  with threads, the requests that arrive meanwhile skip the setup and find no
  registered bundles: 500, "dash" is not a registered library. The gate below makes
  them wait until the setup is over (see `FirstRequestAlone`).
- Security headers through flask-talisman: a Content-Security-Policy with hashes of
  Dash's inline scripts, nosniff, no framing, a referrer policy, HSTS on HTTPS only.
- Bounded requests and logs: MAX_CONTENT_LENGTH, log lines cut to a few kB, dev-only
  routes answer 404 unless Dash runs in debug mode.
- Errors: a callback request that Dash's dispatcher cannot use answers 400 with one
  warning line; a failure inside a callback (or anywhere else) logs its traceback
  and answers a short friendly 500 with no internals.
- `/healthz` for the platform's health check.
"""

import json
import logging
import threading
import time
import traceback
from collections.abc import Callable

from dash import Dash
from dash.exceptions import DependencyException, InvalidCallbackReturnValue
from flask import Flask, abort, current_app, jsonify, request
from flask_talisman import Talisman
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from dashboard.config import Settings
from dashboard.data.db import DatabaseError

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
HEALTH_TTL = 2.0  # seconds one /healthz answer is reused: a burst costs one query
FIRST_REQUEST_WAIT = 60.0  # seconds a request waits for the worker's first one
LOG_LINE_LIMIT = 2_000  # characters of one log line
LOG_RECORD_LIMIT = 20_000  # characters of one log record, traceback included
HSTS_SECONDS = 365 * 24 * 3600
SERVER_ERROR = "Something went wrong on the server. The error has been logged."

# Where each source is needed (see the README's "Security headers"):
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    # Dash's bundles, and its inline scripts by hash (added in install). No
    # 'unsafe-eval': dash-ag-grid evaluates {"function": ...} strings with esprima
    # and static-eval, an interpreter, not eval.
    "script-src": ["'self'"],
    # Plotly and AG Grid (its theming API) insert <style> elements at run time.
    "style-src": ["'self'", "'unsafe-inline'"],
    # Bootstrap's and AG Grid's icons are data: SVGs inside their CSS.
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def install(app: Dash, settings: Settings, data_version: Callable[[], object]) -> None:
    """Harden `app`'s Flask server. Call it last in the factory: the CSP hashes the
    inline scripts of the callbacks registered so far. `data_version()` names the
    data the database holds (for /healthz); it raises when the database is down."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = settings.max_content_length
    bound_log_records()
    gate = FirstRequestAlone(server.wsgi_app)
    server.wsgi_app = gate
    # Flask runs before-request hooks in order: this one runs right after Dash's
    # first-request setup, registered by Dash() itself.
    server.before_request(gate.open)
    talisman = Talisman(
        server,
        force_https=settings.force_https,
        strict_transport_security=True,  # sent only when the request came by HTTPS
        strict_transport_security_max_age=HSTS_SECONDS,
        content_security_policy={
            **CONTENT_SECURITY_POLICY,
            "script-src": ["'self'", *app.csp_hashes()],
        },
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        x_xss_protection=False,  # obsolete; the CSP does this job
        session_cookie_secure=False,  # the login's cookie settings are its own
    )
    _dev_routes_off(app)
    _error_handlers(app)
    _health(server, talisman, data_version)


class FirstRequestAlone:
    """WSGI middleware: the worker's first request runs alone; the others wait until
    it has passed Dash's first-request setup (`open`) or ended, at most
    FIRST_REQUEST_WAIT seconds."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self._first = threading.Lock()
        self._ready = threading.Event()

    def open(self) -> None:
        self._ready.set()

    def __call__(self, environ, start_response):
        if not self._ready.is_set() and self._first.acquire(blocking=False):
            try:
                return self.wsgi_app(environ, start_response)
            finally:
                self._ready.set()
        self._ready.wait(FIRST_REQUEST_WAIT)
        return self.wsgi_app(environ, start_response)


# ---- logs ----------------------------------------------------------------------------


def bounded(text: str, limit: int = LOG_LINE_LIMIT) -> str:
    """`text`, cut to `limit` characters with a note of how much was cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters]"


def _bound_lines(text: str) -> str:
    return bounded(
        "\n".join(bounded(line) for line in text.split("\n")), LOG_RECORD_LIMIT
    )


def bound_log_records() -> None:
    """Cut every log record of this process to a few kB, traceback included, whoever
    logs it (request values end up in exception messages: a 10 MB forged callback
    output would otherwise be logged twice over). Installed once per process."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "bounded", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - logging itself reports it when emitting
            return record
        if len(message) > LOG_LINE_LIMIT:
            record.msg, record.args = _bound_lines(message), None
        if record.exc_info and record.exc_info[1] is not None:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = _bound_lines(text.rstrip("\n"))
        return record

    factory.bounded = True
    logging.setLogRecordFactory(factory)


# ---- routes --------------------------------------------------------------------------


def _dev_routes_off(app: Dash) -> None:
    """Dash's hot-reload route lists the installed packages: only in debug mode."""
    reload_hash = app.config.routes_pathname_prefix + "_reload-hash"

    def dev_routes_off():
        if request.path == reload_hash and not current_app.debug:
            abort(404)

    app.server.before_request(dev_routes_off)


def _health(server: Flask, talisman: Talisman, data_version) -> None:
    """GET /healthz: {"database": "ok"|"down", "data_version": ...}, always 200 (the
    app is up); reused for HEALTH_TTL seconds. Counts only, no personal data."""
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


# ---- errors --------------------------------------------------------------------------


def _error_handlers(app: Dash) -> None:
    server = app.server
    update_path = app.config.routes_pathname_prefix + "_dash-update-component"

    def malformed(problem: str):
        log.warning(
            "malformed callback request from %s: %s",
            request.remote_addr,
            bounded(problem, 300),
        )
        return jsonify(error="malformed callback request"), 400

    @server.before_request
    def check_callback_body():
        if request.path != update_path or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        problem = callback_body_problem(body, app.callback_map)
        return malformed(problem) if problem else None

    @server.errorhandler(DependencyException)
    def unknown_bundle(exc):
        log.warning("no such component bundle: %s", bounded(request.path, 300))
        return "Not found", 404, {"Content-Type": "text/plain; charset=utf-8"}

    @server.errorhandler(Exception)
    def any_error(exc):
        if isinstance(exc, HTTPException):  # 404, 405, 413, ...: Flask's answer
            return exc
        if (
            request.path == update_path
            and not isinstance(exc, InvalidCallbackReturnValue)
            and not _raised_in_callback(exc, app)
        ):
            return malformed(f"{type(exc).__name__}: {exc}")
        log.error(
            "%s %s failed", request.method, bounded(request.path, 300), exc_info=exc
        )
        return SERVER_ERROR, 500, {"Content-Type": "text/plain; charset=utf-8"}


def _raised_in_callback(exc: BaseException, app: Dash) -> bool:
    """Whether `exc` went through one of the app's callback functions: a bug on
    our side, not a request that Dash's dispatcher could not use."""
    codes = {
        getattr(cb["callback"], "__wrapped__", cb["callback"]).__code__
        for cb in app.callback_map.values()
        if "callback" in cb
    }
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code in codes:
            return True
        tb = tb.tb_next
    return False


# ---- the shape of a callback request -------------------------------------------------


def _id_text(component_id) -> str | None:
    """A component id as Dash writes it in callback specs (dict ids: sorted JSON)."""
    if isinstance(component_id, str):
        return component_id
    if isinstance(component_id, dict):
        return json.dumps(
            component_id, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    return None


def _pattern(declared_id: str) -> dict | None:
    """The declared id as a dict when it holds a wildcard (ALL, MATCH, ...)."""
    if not declared_id.startswith("{"):
        return None
    parsed = json.loads(declared_id)
    return parsed if any(isinstance(v, list) for v in parsed.values()) else None


def _matches(pattern: dict, component_id) -> bool:
    return (
        isinstance(component_id, dict)
        and component_id.keys() == pattern.keys()
        and all(
            isinstance(component_id[k], str | int | float | bool)
            if isinstance(v, list)
            else component_id[k] == v
            for k, v in pattern.items()
        )
    )


def _entries_problem(sent, declared: dict) -> str | None:
    """Why `sent` is not what the renderer sends for the declared dependency."""
    pattern = _pattern(declared["id"])
    if pattern is None:
        if not isinstance(sent, dict) or _id_text(sent.get("id")) != declared["id"]:
            return f"expected {declared['id']!r}"
        entries = [sent]
    else:
        entries = sent if isinstance(sent, list) else [sent]
        if not all(
            isinstance(e, dict) and _matches(pattern, e.get("id")) for e in entries
        ):
            return f"expected ids matching {declared['id']!r}"
    if any(e.get("property") != declared["property"] for e in entries):
        return f"expected the property {declared['property']!r}"
    return None


def _prop_ids(sent) -> set[str]:
    entries = [e for s in sent for e in (s if isinstance(s, list) else [s])]
    return {f"{_id_text(e['id'])}.{e['property']}" for e in entries}


def _prop_id(changed) -> str | None:
    """A changedPropIds entry in the form of `_prop_ids` (a dict id is JSON, with or
    without spaces, as Dash reads it); None when it is not one."""
    if not isinstance(changed, str):
        return None
    component, _, prop = changed.rpartition(".")
    if component.startswith("{"):
        try:
            component = _id_text(json.loads(component))
        except ValueError:
            return None
    return f"{component}.{prop}"


def callback_body_problem(body, callback_map: dict) -> str | None:
    """Why `body` is not a request Dash's dispatcher can use for a callback in
    `callback_map`: None when it has the shape the renderer sends (the values are
    the callback's to check)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return f"no callback has the output {bounded(repr(output), 100)}"
    spec = callback_map[output]
    groups = [("inputs", spec["inputs"]), ("state", spec["state"])]
    if not spec.get("no_output"):
        declared = spec["output"] if isinstance(spec["output"], list) else None
        outputs = [
            {"id": o.component_id_str(), "property": o.component_property}
            for o in (declared or [spec["output"]])
        ]
        sent = body.get("outputs")
        if declared is None:  # a single output: sent as one entry, not a list
            sent = [sent]
        groups.append(("outputs", outputs, sent))
    for name, declared, *sent in groups:
        sent = sent[0] if sent else body.get(name, [])
        if not isinstance(sent, list) or len(sent) != len(declared):
            return f"{name}: expected {len(declared)} entries"
        for index, (entry, dep) in enumerate(zip(sent, declared, strict=True)):
            problem = _entries_problem(entry, dep)
            if problem:
                return f"{name}[{index}]: {problem}"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not {_prop_id(c) for c in changed} <= (
        _prop_ids(body.get("inputs", []))
    ):
        return "changedPropIds: not among the inputs"
    return None
