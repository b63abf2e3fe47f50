"""The URL query string <-> Filters, including everything a hand-edited link or a
forged request can hold: never an exception, always a notice for what was dropped."""

import pytest

from dashboard.data.filters import Filters
from dashboard.data.values import MAX_SEARCH_TEXT
from dashboard.web.urlstate import (
    Parsed,
    from_values,
    parse,
    replace,
    search_text,
    to_search,
)

FULL = Filters(month="2025-03", agent=7, category="Bug report", status="resolved")


@pytest.mark.parametrize(
    ("search", "filters"),
    [
        ("", Filters()),
        (None, Filters()),
        ("?", Filters()),
        ("?month=2025-03&agent=7&category=Bug+report&status=resolved", FULL),
        ("?status=resolved&category=Bug%20report&agent=7&month=2025-03", FULL),
        ("month=2025-03", Filters(month="2025-03")),  # no leading '?'
        ("?agent=007", Filters(agent=7)),
        ("?month=+2025-03+", Filters(month="2025-03")),
        ("?month=&agent=&category=&status=", Filters()),  # blank means all
        ("?category=Undelivered+goods", Filters(category="Undelivered goods")),
    ],
)
def test_url001_parse_valid(search, filters):
    assert parse(search) == Parsed(filters)


@pytest.mark.parametrize(
    ("search", "filters", "notices"),
    [
        (
            "?month=2025-13",
            Filters(),
            ['Ignored month "2025-13": month must look like 2025-03.'],
        ),
        (
            "?month=March",
            Filters(),
            ['Ignored month "March": month must look like 2025-03.'],
        ),
        (
            "?agent=abc",
            Filters(),
            ['Ignored agent "abc": agent must be a positive agent id.'],
        ),
        (
            "?agent=0",
            Filters(),
            ['Ignored agent "0": agent must be a positive agent id.'],
        ),
        (
            "?agent=-3",
            Filters(),
            ['Ignored agent "-3": agent must be a positive agent id.'],
        ),
        (
            "?agent=1.5",
            Filters(),
            ['Ignored agent "1.5": agent must be a positive agent id.'],
        ),
        (
            "?agent=99999999999999999999",
            Filters(),
            ['Ignored agent "99999999999999999999": there is no such agent.'],
        ),
        (
            "?status=closed&month=2025-03",
            Filters(month="2025-03"),
            ['Ignored status "closed": status must be one of open, resolved.'],
        ),
        (
            "?category=bug+report",  # one category in another letter case
            Filters(category="Bug report"),
            [],
        ),
        (
            "?category=bug",
            Filters(),
            [
                'Ignored category "bug": category must be one of Account '
                "access, Bug report, Order cancellation, Overcharged transaction, "
                "Undelivered goods, Wrong order."
            ],
        ),
        (
            "?colour=red&agent=2",
            Filters(agent=2),
            [
                'Ignored "colour" in the link: it can set only month, agent, '
                "category, status, q and ticket."
            ],
        ),
        (
            "?month=2025-01&month=2025-02",
            Filters(month="2025-01"),
            ["Ignored a second month in the link; used the first."],
        ),
        (
            "?category=" + "x" * 500,
            Filters(),
            ["Ignored the category filter: the value is too long."],
        ),
        (
            "?month=<script>alert(1)</script>",
            Filters(),
            ['Ignored month "<script>alert(1)</scrip…": month must look like 2025-03.'],
        ),
        (
            "?agent=" + "9" * 3000,
            Filters(),
            ["Ignored the link's filters: the address is too long."],
        ),
    ],
)
def test_url002_parse_malformed_values_are_dropped_with_a_notice(
    search, filters, notices
):
    assert parse(search) == Parsed(filters, tuple(notices))


def test_url003_unknown_agent_when_the_agents_are_known():
    assert parse("?agent=7", agents={1, 2}) == Parsed(
        Filters(), ('Ignored agent "7": there is no such agent.',)
    )
    assert parse("?agent=2", agents={1, 2}) == Parsed(Filters(agent=2))
    assert parse("?agent=7", agents=None) == Parsed(Filters(agent=7))  # not known


@pytest.mark.parametrize(
    ("filters", "search"),
    [
        (Filters(), ""),
        (FULL, "?month=2025-03&agent=7&category=Bug+report&status=resolved"),
        (Filters(status="open"), "?status=open"),
        (Filters(category="Wrong order", agent=12), "?agent=12&category=Wrong+order"),
    ],
)
def test_url004_to_search_and_back(filters, search):
    assert to_search(filters) == search
    assert parse(search).filters == filters


@pytest.mark.parametrize(
    ("values", "filters", "n_notices"),
    [
        ({}, Filters(), 0),
        (None, Filters(), 0),
        ([1, 2], Filters(), 0),  # not a mapping at all
        ({"month": "2025-03", "agent": 7}, Filters(month="2025-03", agent=7), 0),
        ({"agent": "7"}, Filters(agent=7), 0),
        ({"agent": "abc"}, Filters(), 1),
        ({"agent": True}, Filters(), 1),
        ({"agent": 7.5}, Filters(), 1),
        ({"month": ["2025-03"]}, Filters(), 1),
        ({"category": {"$gt": ""}}, Filters(), 1),
        ({"status": "x" * 10_000}, Filters(), 1),
        ({"month": 202503}, Filters(), 1),
        ({"unknown": "x", "status": "open"}, Filters(status="open"), 0),
    ],
)
def test_url005_from_values_accepts_anything(values, filters, n_notices):
    parsed = from_values(values)
    assert parsed.filters == filters
    assert len(parsed.notices) == n_notices
    assert all(len(n) < 300 for n in parsed.notices)


def test_url006_replace_one_field():
    assert replace(Filters(month="2025-03"), "agent", 4).filters == Filters(
        month="2025-03", agent=4
    )
    assert replace(FULL, "month", "2025-04").filters == Filters(
        "2025-04", 7, "Bug report", "resolved"
    )
    bad = replace(Filters(status="open"), "month", "nope")
    assert bad.filters == Filters(status="open")
    assert len(bad.notices) == 1
    with pytest.raises(ValueError, match="no filter 'colour'"):
        replace(FULL, "colour", "red")


@pytest.mark.parametrize(
    ("search", "text", "notices"),
    [
        ("?q=ann", "ann", ()),
        ("?category=Bug+report&q=%23123", "#123", ()),
        ("?q=+Ann+Lee+", "Ann Lee", ()),
        ("?q=" + "x" * 300, "x" * 100, ()),
        ("?q=a&q=b", "a", ("Ignored a second search in the link; used the first.",)),
        ("?q=", "", ()),
    ],
)
def test_url010_the_search_is_in_the_link(search, text, notices):
    parsed = parse(search)
    assert parsed.search == text
    assert parsed.notices == notices
    back = to_search(parsed.filters, parsed.ticket, parsed.search)
    assert parse(back).search == text  # and back again


def test_url011_search_sits_between_the_filters_and_the_ticket():
    link = to_search(Filters(status="open"), 12, "Ann O'Brien & co")
    assert link == "?status=open&q=Ann+O%27Brien+%26+co&ticket=12"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (3, ""),
        ("  ann ", "ann"),
        ("x" * 500, "x" * MAX_SEARCH_TEXT),
    ],
)
def test_url012_search_text_is_trimmed_and_capped(value, expected):
    assert search_text(value) == expected
