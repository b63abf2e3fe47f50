"""Trusting the proxies in front (TRUSTED_PROXIES): the client's address and
scheme from X-Forwarded-For / -Proto, and a warning when nothing seems in front.

With TRUSTED_PROXIES=1 (the PaaS default) and no proxy, a client can write any
X-Forwarded-For and so choose the address the login limit counts. A proxy always
sets the header, so a request without it says that nothing is in front: the
process logs that once.
"""

import logging
import threading

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)


def warning(n: int) -> str:
    return (
        f"TRUSTED_PROXIES={n}: trusting X-Forwarded-For from the first proxy; "
        "set 0 if nothing is in front"
    )


class _WarnWithoutProxy:
    """WSGI middleware: log `warning` once, at the first request that came
    without X-Forwarded-For."""

    def __init__(self, wsgi_app, n: int):
        self.wsgi_app = wsgi_app
        self.n = n
        self._once = threading.Event()

    def __call__(self, environ, start_response):
        if not self._once.is_set() and "HTTP_X_FORWARDED_FOR" not in environ:
            self._once.set()
            log.warning(
                "%s (a request from %s came without it)",
                warning(self.n),
                environ.get("REMOTE_ADDR", "?"),
            )
        return self.wsgi_app(environ, start_response)


def install(server: Flask, n: int) -> None:
    """Trust `n` proxies in front of `server` (none: n=0)."""
    if n:
        server.wsgi_app = _WarnWithoutProxy(
            ProxyFix(server.wsgi_app, x_for=n, x_proto=n), n
        )
