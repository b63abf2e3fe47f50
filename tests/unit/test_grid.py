"""The tickets grid's pure parts: columns, getRowsRequest -> tickets_page arguments
(web/grid_requests.py), and a page of tickets -> grid rows."""

import json
import math
import shutil
import subprocess
from datetime import datetime

import pandas as pd
import pytest

from dashboard.data.tickets import COLUMNS
from dashboard.ui import grid, grid_js, theme
from dashboard.web import grid_requests


def test_grid001_columns_follow_the_personal_data_setting():
    fields = [c["field"] for c in grid.column_defs(True)]
    assert fields == list(COLUMNS)
    hidden = [c["field"] for c in grid.column_defs(False)]
    assert "customer_email" not in hidden and "customer_phone" not in hidden
    assert len(hidden) == len(COLUMNS) - 2


def test_grid002_agents_column_is_not_sortable():
    sortable = {c["field"]: c.get("sortable", True) for c in grid.column_defs(True)}
    assert sortable["agents"] is False
    assert all(v for k, v in sortable.items() if k != "agents")


@pytest.mark.parametrize(
    ("model", "personal", "expected"),
    [
        (None, True, []),
        ([], True, []),
        ([{"colId": "opened", "sort": "asc"}], True, [("opened", "asc")]),
        (
            [
                {"colId": "ticket_rating", "sort": "desc"},
                {"colId": "customer", "sort": "asc"},
            ],
            True,
            [("ticket_rating", "desc"), ("customer", "asc")],
        ),
        # Not sortable, unknown, bad direction, not a dict: dropped, never an error.
        ([{"colId": "agents", "sort": "asc"}], True, []),
        ([{"colId": "ticket_id; DROP TABLE", "sort": "asc"}], True, []),
        ([{"colId": "opened", "sort": "sideways"}], True, []),
        (["opened", 3, None], True, []),
        ("opened", True, []),
        # Personal data off: email and phone cannot be sorted by.
        ([{"colId": "customer_email", "sort": "asc"}], False, []),
        (
            [{"colId": "customer_email", "sort": "asc"}],
            True,
            [("customer_email", "asc")],
        ),
    ],
)
def test_grid003_sort_model_to_sort_list(model, personal, expected):
    assert grid_requests.sort_list(model, personal) == expected


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        ({"startRow": 0, "endRow": 20}, (0, 20)),
        ({"startRow": 40, "endRow": 60}, (40, 60)),
        (
            {"startRow": 0, "endRow": 10**9},
            (0, grid_requests.MAX_ROWS),
        ),  # never everything
        ({"startRow": -5, "endRow": 20}, (0, 20)),
        ({"startRow": 30, "endRow": 10}, (30, 30)),
        ({"startRow": "0", "endRow": None}, (0, grid.PAGE_SIZE)),
        ({"startRow": math.inf, "endRow": True}, (0, grid.PAGE_SIZE)),
        (None, (0, grid.PAGE_SIZE)),
    ],
)
def test_grid004_row_range(request_, expected):
    assert grid_requests.row_range(request_) == expected


def test_grid006_rows_are_json_values():
    df = pd.DataFrame(
        {
            "ticket_id": pd.Series([7, 8], dtype="int64"),
            "opened": pd.to_datetime([datetime(2025, 3, 4, 10, 22, 59), None]),
            "customer": ["Ann Lee", None],
            "ticket_rating": pd.Series([4, None], dtype="Int64"),
            "resolution_hours": [1.25, float("nan")],
        }
    )
    assert grid.rows(df) == [
        {
            "ticket_id": 7,
            "opened": "2025-03-04 10:22",
            "customer": "Ann Lee",
            "ticket_rating": 4,
            "resolution_hours": 1.25,
        },
        {
            "ticket_id": 8,
            "opened": None,
            "customer": None,
            "ticket_rating": None,
            "resolution_hours": None,
        },
    ]
    assert type(grid.rows(df)[0]["ticket_id"]) is int


@pytest.mark.parametrize(
    ("search", "filtered", "expected"),
    [
        ("", True, "No tickets match these filters."),
        ("bob", False, "No tickets match the search “bob”."),
        ("bob", True, "No tickets match these filters and the search “bob”."),
        ("", False, "There are no tickets yet."),
    ],
)
def test_grid007_empty_state(search, filtered, expected):
    assert grid.empty_state(search, filtered).children == expected


def test_grid008_count_text():
    assert theme.plural(0, "ticket") == "0 tickets"
    assert theme.plural(1, "ticket") == "1 ticket"
    assert theme.plural(3770, "ticket") == "3,770 tickets"


def run_formatter(formatter: dict, values: list) -> list[str]:
    """What the browser shows for `values` through a valueFormatter (run by node)."""
    script = (
        f"const f = (params) => ({formatter['function']});"
        f"console.log(JSON.stringify({json.dumps(values)}.map(v => f({{value: v}}))));"
    )
    out = subprocess.run(
        [shutil.which("node") or "node", "-e", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(out.stdout)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_grid009_the_tables_write_numbers_as_the_cards_do():
    # Shares and decimals as formats.py writes them; durations are decimals of hours.
    assert run_formatter(grid_js.PERCENT_FORMATTER, [0.25, 1, 0.761, None]) == [
        "25.0%",
        "100.0%",
        "76.1%",
        "—",
    ]
    assert run_formatter(grid_js.decimal_formatter(), [0.25, 47.94, None]) == [
        "0.25",
        "47.94",
        "—",
    ]
    assert run_formatter(grid_js.decimal_formatter(1), [2.04, 3]) == ["2.0", "3.0"]
