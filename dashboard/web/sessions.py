"""Server-side state of a login, so that a logout ends it.

Flask's session is a signed cookie: valid, on its own, until it expires. Each login
therefore gets a random session id in the cookie, and a logout revokes that id: in
this process and, with Redis, for every process of the deployment (a key that
lives as long as the cookie could). A request whose session id is revoked is not
logged in.

Without Redis, or while it is down, a logout reaches only the process that served
it: the other workers accept the cookie until it expires (auth.SESSION_LIFETIME
after the login). Run Redis when more than one process serves the dashboard.
"""

import secrets
import threading
import time
from datetime import timedelta

from dashboard.engine.redis_link import Breaker


def new_id() -> str:
    return secrets.token_urlsafe(24)


class Revocations:
    """The session ids a logout ended, until their cookies would have expired."""

    def __init__(self, breaker: Breaker | None, namespace: str, lifetime: timedelta):
        self.breaker = breaker
        self.prefix = f"{namespace}:logout:"
        self.seconds = int(lifetime.total_seconds())
        self._here: dict[str, float] = {}  # id -> monotonic time it may be forgotten
        self._lock = threading.Lock()

    def revoke(self, session_id: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._here = {i: t for i, t in self._here.items() if t > now}
            self._here[session_id] = now + self.seconds
        if self.breaker is not None:
            key = self.prefix + session_id
            self.breaker.run(
                lambda client: client.set(key, 1, ex=self.seconds), None, "logout"
            )

    def revoked(self, session_id: str) -> bool:
        with self._lock:
            if self._here.get(session_id, 0) > time.monotonic():
                return True
        if self.breaker is None:
            return False
        key = self.prefix + session_id
        return bool(self.breaker.run(lambda c: c.exists(key), 0, "session check"))
