"""Auto-refresh tokens: equal data, equal token, in every worker; a page never steps
back to older data when a lagging worker answers."""

import time

from dashboard.engine.pull import Fingerprint
from dashboard.web.refresh import behind, checked_text, current, token

FP = Fingerprint(100, 50, 50, 40, 160, 10, 45)


def bumped(fp: Fingerprint, field: str, by: int = 1) -> Fingerprint:
    return Fingerprint(**{**vars(fp), field: getattr(fp, field) + by})


def test_live001_token_moves_with_any_fingerprint_field():
    assert token(FP) == token(Fingerprint(*vars(FP).values()))
    for name in vars(FP):
        assert token(bumped(FP, name)) != token(FP), name


def test_live002_token_carries_the_error_and_the_unread_state():
    assert token(None) == {"data": None, "error": None}
    assert token(FP, "cannot reach x") != token(FP)


def test_live003_checked_text():
    assert checked_text(None) == ""
    at = time.mktime((2026, 11, 27, 11, 14, 5, 0, 0, -1))
    assert checked_text(at) == "checked 11:14:05"


def test_live004_current_compares_the_data_not_the_error():
    assert current(FP, token(FP))
    assert current(FP, token(FP, "a blip"))  # same data, however it was checked
    assert not current(FP, token(bumped(FP, "tickets")))
    assert not current(None, token(None))  # never loaded: never current
    assert not current(FP, None)
    assert not current(FP, "forged")


def test_live005_behind_only_when_every_field_is_at_most_the_pages():
    for name in vars(FP):
        assert behind(FP, token(bumped(FP, name))), name  # the page is ahead
        assert not behind(bumped(FP, name), token(FP)), name  # this worker is
    assert not behind(FP, token(FP))
    # a reopened ticket (fewer resolved) and a new message: neither is older
    mixed = bumped(bumped(FP, "resolved", -1), "max_message_id")
    assert not behind(FP, token(mixed))
    assert not behind(mixed, token(FP))
    assert behind(None, token(FP))  # not loaded yet
    assert not behind(FP, token(None))
    assert not behind(None, token(None))


def test_live006_forged_tokens_are_never_newer():
    for forged in (
        None,
        "x",
        {"data": "1|2|3"},
        {"data": [1, 2, 3]},
        {"data": [10**9] * 6 + ["x"]},
        {"data": [True] * 7},
        {"data": [10**9] * 8},
    ):
        assert not behind(FP, forged), forged
        assert not current(FP, forged), forged
