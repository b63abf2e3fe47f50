"""The HTTP hardening of the Flask server under the Dash app, one module per job:

- gate: each worker serves its first request alone, until Dash's first-request
  setup is over;
- headers: the Content-Security-Policy and the other security headers;
- checks: bounded requests, dev-only routes, the shape of callback requests;
- errors: friendly error pages, tracebacks in the log only;
- logs: log records cut to a few kB;
- health: `/healthz`.
"""

from collections.abc import Callable

from dash import Dash

from dashboard.config import Settings
from dashboard.web import checks, errors, gate, headers, health, logs


def install(
    app: Dash,
    settings: Settings,
    data_version: Callable[[], object],
    times: Callable[[], dict] = dict,
) -> None:
    """Harden `app`'s Flask server. Call it last in the factory: the CSP hashes the
    inline scripts of the callbacks registered so far. `data_version()` names the
    data the worker holds and raises when the database is down; `times()` says when
    the worker last heard from it (both for /healthz, see health.install)."""
    logs.bound_log_records()
    # In this order: the gate's hook runs right after Dash's first-request setup,
    # and a plain-HTTP request is redirected to HTTPS before it is checked.
    gate.install(app)
    talisman = headers.install(app, settings)
    checks.install(app, settings)
    errors.install(app)
    health.install(app.server, talisman, data_version, times)
