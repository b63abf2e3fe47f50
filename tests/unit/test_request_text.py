"""request_text: which strings no page sends (hand-picked cases, by class)."""

import pytest

from dashboard.web.request_text import MAX_TEXT, pairs_problem, problem, string_problem


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
