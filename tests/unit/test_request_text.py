"""request_text: which strings no page sends (hand-picked cases, by class)."""

import pytest

from dashboard.web.app import create_app
from dashboard.web.checks import UNREADABLE_TEXT
from dashboard.web.request_text import MAX_TEXT, pairs_problem, problem, string_problem
from seeds.demo import open_engine
from tests.logins import csrf_token, settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("Bug report", None),
        ("é \t\r\n \x01\x1b\x7f \u2028 \ufeff", None),  # control characters pass
        ("\U0001f600 \U0010ffff", None),  # beyond the BMP: text people type
        ("a" * 200_000, None),
        ("a" * 200_001, "a string of 200001 characters (at most 200000)"),
        ("x\x00y", "a NUL character"),
        ("\ud800", "a lone surrogate"),
        ("ok \udfff", "a lone surrogate"),
        ("\ud83d\ude00", "a lone surrogate"),  # a pair as two code points: no text
    ],
)
def test_txt001_string_problem_by_class(text, expected):
    assert MAX_TEXT == 200_000
    assert string_problem(text) == expected


def test_txt002_problem_walks_keys_values_and_deep_nesting():
    assert problem({"a": [1, None, True, 2.5, {"b": "fine"}]}) is None
    assert problem({"a": [{"b": "x\x00"}]}) == "a NUL character"
    assert problem({"\ud800": 1}) == "a lone surrogate"  # a key
    deep: list = ["\ud800"]
    for _ in range(5_000):  # deeper than Python's recursion limit
        deep = [deep]
    assert problem(deep) == "a lone surrogate"


def test_txt003_pairs_problem_checks_keys_and_values():
    assert pairs_problem([("q", "smith"), ("month", "2025-03")]) is None
    assert pairs_problem([("q", "a\x00")]) == "a NUL character"
    assert pairs_problem([("q\x00", "a")]) == "a NUL character"


def test_txt004_the_login_form_refuses_a_nul_and_takes_typed_text():
    """The same check covers plain routes' forms: a NUL in the login form is one
    friendly 400, a wrong password with emoji is the usual failed login."""
    engine = open_engine(None, 42)
    client = create_app(settings(refresh_seconds=0), engine=engine).server.test_client()
    page = client.get("/login").get_data(as_text=True)
    form = {"username": "lea", "password": "x\x00y", "csrf_token": csrf_token(page)}
    refused = client.post("/login", data=form)
    assert refused.status_code == 400
    assert refused.get_data(as_text=True) == UNREADABLE_TEXT
    form["password"] = "wrong \U0001f600 password"
    failed = client.post("/login", data=form)
    assert failed.status_code == 401
    assert "csrf_token" in failed.get_data(as_text=True)  # the form, shown again
    engine.dispose()
