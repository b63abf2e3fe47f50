"""Live refresh tokens: equal data, equal token, in every worker."""

import time
from datetime import datetime

from dashboard.cache import Fingerprint
from dashboard.live import checked_text, token

FP = Fingerprint(100, datetime(2025, 1, 1), 50, 40, 160, 10, 45)


def test_live001_token_moves_with_any_fingerprint_field():
    assert token(FP) == token(Fingerprint(*vars(FP).values()))
    for i, name in enumerate(vars(FP)):
        if name == "newest_message_at":
            continue  # follows max_message_id
        values = list(vars(FP).values())
        values[i] += 1
        assert token(Fingerprint(*values)) != token(FP), name


def test_live002_token_carries_the_error_and_the_unread_state():
    assert token(None) == {"data": None, "error": None}
    assert token(FP, "cannot reach x") != token(FP)


def test_live003_checked_text():
    assert checked_text(None) == ""
    at = time.mktime((2026, 11, 27, 11, 14, 5, 0, 0, -1))
    assert checked_text(at) == "checked 11:14:05"


def test_live004_current_compares_the_data_not_the_error():
    from dashboard.live import current

    assert current(FP, token(FP))
    assert current(FP, token(FP, "a blip"))  # same data, however it was checked
    newer = Fingerprint(
        *[v + 1 if isinstance(v, int) else v for v in vars(FP).values()]
    )
    assert not current(FP, token(newer))
    assert not current(None, token(None))  # never loaded: always refresh
    assert not current(FP, None) and not current(FP, "forged")
