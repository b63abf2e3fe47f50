"""Live refresh, pure parts: the token that says whether the data changed, and the
navbar's "checked" time.

The token is made from the cache's fingerprint (newest message id, ticket count,
resolutions, ratings, people), not from a per-process counter, so every gunicorn
worker computes the same token for the same data and a page served by several
workers redraws only when the data really changed.
"""

import time
from dataclasses import astuple

from dashboard.cache import Fingerprint


def token(fingerprint: Fingerprint | None, error: str | None = None) -> dict:
    """What the page's data-version store holds; equal tokens mean equal data."""
    data = None
    if fingerprint is not None:  # every field, so a new one can never be forgotten
        data = "|".join(str(v) for v in astuple(fingerprint))
    return {"data": data, "error": error}


def checked_text(checked_at: float | None) -> str:
    """'checked 11:14:05' (the server's local time); '' before the first check."""
    if checked_at is None:
        return ""
    return "checked " + time.strftime("%H:%M:%S", time.localtime(checked_at))


def current(fingerprint: Fingerprint | None, version) -> bool:
    """Whether a cache with `fingerprint` holds the data that `version` (the page's
    token, from whichever worker answered its last tick) names. Another gunicorn
    worker's cache may be behind: it refreshes before it answers."""
    if fingerprint is None or not isinstance(version, dict):
        return False
    return token(fingerprint)["data"] == version.get("data")
