"""Error pages: a callback request that Dash's dispatcher cannot use answers 400
with one warning line (`checks.reject`); a failure inside a callback (or anywhere
else) logs its traceback and answers a short friendly 500 with no internals; an
unknown component bundle answers 404."""

import logging

from dash import Dash
from dash.exceptions import DependencyException, InvalidCallbackReturnValue
from flask import request
from werkzeug.exceptions import HTTPException

from dashboard.web.checks import reject
from dashboard.web.logs import bounded

log = logging.getLogger(__name__)

SERVER_ERROR = "Something went wrong on the server. The error has been logged."


def install(app: Dash) -> None:
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
        if (
            request.path == update_path
            and not isinstance(exc, InvalidCallbackReturnValue)
            and not _raised_in_callback(exc, app)
        ):
            return reject(f"{type(exc).__name__}: {exc}")
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
