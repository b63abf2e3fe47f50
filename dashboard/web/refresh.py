"""Auto-refresh, pure parts: the token that says which data a page shows, and the
navbar's "checked" times.

The token is made from the store's fingerprint (newest message and ticket ids,
tickets, resolutions, ratings, people) and the digest of the reconcile's checksums
(edits the fingerprint cannot see), not from a per-process counter, so every
gunicorn worker computes the same token for the same data. Each worker refreshes on
its own clock; since every fingerprint field only grows as a support desk works, a
page can tell a worker that is behind from one that is ahead, and never steps back.
"""

import time
from dataclasses import astuple

from dashboard.engine.checksums import Checksums
from dashboard.engine.pull import Fingerprint


def token(
    fingerprint: Fingerprint | None,
    error: str | None = None,
    sums: Checksums | None = None,
) -> dict:
    """What the page keeps as its data version (ids.DATA_VERSION); tokens that are
    the `same` name the same data. `sums` are the reconcile's (store.meta.sums):
    their digest names the edits the fingerprint cannot see; their time orders two
    digests (see `behind`)."""
    data = None if fingerprint is None else list(astuple(fingerprint))
    if sums is None:
        return {"data": data, "error": error}
    return {
        "data": data,
        "reconciled": [sums.version, _ms(sums.at)],
        "error": error,
    }


def same(a, b) -> bool:
    """Whether two tokens name the same data and error (whenever each worker took
    its sums)."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    return (a.get("data"), _digest(a), a.get("error")) == (
        b.get("data"),
        _digest(b),
        b.get("error"),
    )


def _data(version) -> tuple | None:
    """The fingerprint values a token (from the page: may be forged) carries."""
    data = version.get("data") if isinstance(version, dict) else None
    if not isinstance(data, list) or len(data) != len(Fingerprint.__dataclass_fields__):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in data):
        return None
    return tuple(data)


def _reconciled(version) -> tuple[int, int] | None:
    """(digest, epoch milliseconds) of a token's sums, if it carries valid ones."""
    value = version.get("reconciled") if isinstance(version, dict) else None
    if not isinstance(value, list) or len(value) != 2:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return None
    return value[0], value[1]


def _digest(version) -> int | None:
    reconciled = _reconciled(version)
    return None if reconciled is None else reconciled[0]


def current(fingerprint: Fingerprint | None, version) -> bool:
    """Whether a store with `fingerprint` holds the data that `version` (the page's
    token, from whichever worker answered its last tick) names."""
    return fingerprint is not None and astuple(fingerprint) == _data(version)


def behind(
    fingerprint: Fingerprint | None, version, sums: Checksums | None = None
) -> bool:
    """Whether a store with `fingerprint` and `sums` holds older data than `version`
    names: never loaded, or no field ahead and some field behind, or the same
    fields but other sums, taken earlier."""
    theirs = _data(version)
    if theirs is None:
        return False
    if fingerprint is None:
        return True
    ours = astuple(fingerprint)
    if ours != theirs:
        return all(a <= b for a, b in zip(ours, theirs, strict=True))
    reconciled = _reconciled(version)
    if sums is None or reconciled is None or reconciled[0] == sums.version:
        return False
    return _ms(sums.at) < reconciled[1]


def _ms(epoch: float) -> int:
    return int(epoch * 1000)


def checked_text(checked_at: float | None, reconciled_at: float | None = None) -> str:
    """'checked 11:14:05 · all edits up to 11:10' (the server's local time): when
    the database was last asked for new data (the cheap check), and the time before
    which every edit is in the facts (the last reconcile's checksums, or the load's);
    '' before the first check."""
    if checked_at is None:
        return ""
    text = "checked " + time.strftime("%H:%M:%S", time.localtime(checked_at))
    if reconciled_at is None:
        return text
    return (
        text
        + " · all edits up to "
        + time.strftime("%H:%M", time.localtime(reconciled_at))
    )
