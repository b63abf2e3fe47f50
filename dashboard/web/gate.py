"""Each worker serves its first request alone.

Dash does its per-process setup (`Dash._setup_server`, a before-request hook) on the
first request: it marks the setup done, then walks the assets, builds and validates
the layout (a database query) and only then registers the component bundles it will
serve. Under gunicorn with threads, the requests that arrive meanwhile skip the setup
and find no registered bundles: 500, "dash" is not a registered library. The gate
makes them wait until the setup is over.
"""

import threading

from dash import Dash

FIRST_REQUEST_WAIT = 60.0  # seconds a request waits for the worker's first one


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


def install(app: Dash) -> None:
    """Put the gate in front of `app`'s server."""
    server = app.server
    gate = FirstRequestAlone(server.wsgi_app)
    server.wsgi_app = gate
    # Flask runs before-request hooks in order: this one runs right after Dash's
    # first-request setup, registered by Dash() itself.
    server.before_request(gate.open)
