"""Auto-refresh, pure parts: the token that says which data a page shows, and the
navbar's "checked" time.

The token is made from the store's fingerprint (newest message and ticket ids,
tickets, resolutions, ratings, people), not from a per-process counter, so every
gunicorn worker computes the same token for the same data. Each worker refreshes on
its own clock; since every fingerprint field only grows as a support desk works, a
page can tell a worker that is behind from one that is ahead, and never steps back.
"""

import time
from dataclasses import astuple

from dashboard.engine.pull import Fingerprint


def token(fingerprint: Fingerprint | None, error: str | None = None) -> dict:
    """What the page keeps as its data version (ids.DATA_VERSION); equal tokens
    mean equal data."""
    data = None if fingerprint is None else list(astuple(fingerprint))
    return {"data": data, "error": error}


def _data(version) -> tuple | None:
    """The fingerprint values a token (from the page: may be forged) carries."""
    data = version.get("data") if isinstance(version, dict) else None
    if not isinstance(data, list) or len(data) != len(Fingerprint.__dataclass_fields__):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in data):
        return None
    return tuple(data)


def current(fingerprint: Fingerprint | None, version) -> bool:
    """Whether a store with `fingerprint` holds the data that `version` (the page's
    token, from whichever worker answered its last tick) names."""
    return fingerprint is not None and astuple(fingerprint) == _data(version)


def behind(fingerprint: Fingerprint | None, version) -> bool:
    """Whether a store with `fingerprint` holds older data than `version` names:
    never loaded, or no field ahead and some field behind."""
    theirs = _data(version)
    if theirs is None:
        return False
    if fingerprint is None:
        return True
    ours = astuple(fingerprint)
    return ours != theirs and all(a <= b for a, b in zip(ours, theirs, strict=True))


def checked_text(checked_at: float | None) -> str:
    """'checked 11:14:05' (the server's local time); '' before the first check."""
    if checked_at is None:
        return ""
    return "checked " + time.strftime("%H:%M:%S", time.localtime(checked_at))
