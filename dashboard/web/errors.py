"""Error pages: a callback request that Dash's dispatcher cannot use answers 400
with one warning line (`checks.reject`); a failure inside a callback (or anywhere
else) logs its traceback and answers a short friendly 500 with no internals; an
unknown component bundle answers 404.

Which failures are a callback's own, Dash says through its public error handler:
the app is made with `Dash(on_error=callback_failed)` (dash.plotly.com, "Callback
Error Handlers"), which Dash calls with what a callback function raised.
"""

import logging

from dash import Dash
from dash.exceptions import DependencyException, InvalidCallbackReturnValue
from flask import request
from werkzeug.exceptions import HTTPException

from dashboard.web.checks import reject
from dashboard.web.logs import bounded

log = logging.getLogger(__name__)

SERVER_ERROR = "Something went wrong on the server. The error has been logged."


class CallbackFailed(Exception):
    """What one of the app's callback functions raised (the `__cause__`): a bug on
    our side, not a request that Dash's dispatcher could not use."""


def callback_failed(exc: Exception):
    """The app's `on_error` handler: mark `exc` as the callback's own failure."""
    raise CallbackFailed from exc


def install(app: Dash) -> None:
    """Answer every error of `app`'s server; `app` is made with
    `on_error=callback_failed`, or a failing callback answers 400, not 500."""
    server = app.server
    update_path = app.config.routes_pathname_prefix + "_dash-update-component"

    @server.errorhandler(DependencyException)
    def unknown_bundle(exc):
        log.warning("no such component bundle: %s", bounded(request.path, 300))
        return "Not found", 404, {"Content-Type": "text/plain; charset=utf-8"}

    @server.errorhandler(Exception)
    def any_error(exc):
        if isinstance(exc, HTTPException):  # 404, 405, 413, ...: Flask's answer
            return exc
        if isinstance(exc, CallbackFailed):
            exc = exc.__cause__  # the log shows what the callback raised
        elif request.path == update_path and not isinstance(
            exc, InvalidCallbackReturnValue
        ):
            return reject(f"{type(exc).__name__}: {exc}")
        log.error(
            "%s %s failed", request.method, bounded(request.path, 300), exc_info=exc
        )
        return SERVER_ERROR, 500, {"Content-Type": "text/plain; charset=utf-8"}
