"""CSV export: formula neutralisation, numbers left alone, and safe file names."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from dashboard.data.export import (
    HEADERS,
    filename,
    header,
    neutralise,
    readable,
    stream,
    to_csv,
)
from dashboard.data.filters import Filters


def cells(text: str) -> list[list[str]]:
    """The CSV as a spreadsheet would split it."""
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-3", "'-3"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+2", "'\uff1d1+2"),  # full-width equals sign
        ("a=1", "a=1"),
        ("Ann Lee", "Ann Lee"),
        (" =1", "' =1"),  # spreadsheets skip leading blanks (OWASP)
        ("  \n\x0b@SUM(A1)", "'  \n\x0b@SUM(A1)"),
        ("\x00\x1f-2+3", "'\x00\x1f-2+3"),  # and control characters
        ("\u00a0=1", "'\u00a0=1"),  # a no-break space too
        (" a=1", " a=1"),
        ("   ", "   "),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_ex001_text_cells_are_neutralised(value, want):
    assert neutralise(value) == want
    (row,) = cells(to_csv(pd.DataFrame({"text": [value]})))[1:]
    assert row == [want]


@pytest.mark.parametrize(
    ("values", "want"),
    [
        ([-1, 2], ["-1", "2"]),
        ([-1.5, 0.25], ["-1.5", "0.25"]),
        ([-1.5, None], ["-1.5", ""]),
        (pd.array([-2, None], dtype="Int64"), ["-2", ""]),
        ([Decimal("-1.50"), Decimal("2")], ["-1.50", "2"]),
        ([np.int64(-7), np.int64(3)], ["-7", "3"]),
        ([np.float64(-0.5), np.float64(3)], ["-0.5", "3.0"]),
        ([True, False], ["True", "False"]),
        ([datetime(2025, 3, 1, 9, 30), None], ["2025-03-01 09:30:00", ""]),
        ([date(2025, 3, 1), None], ["2025-03-01", ""]),
    ],
)
def test_ex002_numbers_and_dates_are_left_alone(values, want):
    rows = cells(to_csv(pd.DataFrame({"v": values})))
    assert [r[0] for r in rows[1:]] == want


def test_ex003_mixed_object_column_neutralises_only_its_text():
    df = pd.DataFrame({"v": pd.Series([-1, "-1", "=x", None, 2.5], dtype=object)})
    assert [r[0] for r in cells(to_csv(df))[1:]] == ["-1", "'-1", "'=x", "", "2.5"]


def test_ex004_header_is_neutralised_too():
    df = pd.DataFrame({"=cmd|' /C calc'!A0": [1], "ok": ["x"]})
    assert cells(to_csv(df))[0] == ["'=cmd|' /C calc'!A0", "ok"]


@pytest.mark.parametrize(
    "text", ['He said "hi", then\nleft', "a\rb", "a\r\nb", "x,y", "\r=1"]
)
def test_ex005_quotes_commas_and_line_breaks_survive_the_round_trip(text):
    rows = cells(to_csv(pd.DataFrame({"a": [text], "b": [1]})))
    assert rows == [["a", "b"], [neutralise(text), "1"]]


def test_ex006_no_index_and_the_frame_is_not_changed():
    df = pd.DataFrame({"a": ["=1"], "n": [-1]}, index=[7])
    out = to_csv(df)
    assert out == "a,n\r\n'=1,-1\r\n"
    assert df.loc[7, "a"] == "=1"


def test_ex007_empty_frame_gives_the_header():
    assert to_csv(pd.DataFrame(columns=["ticket_id", "customer"])) == (
        "ticket_id,customer\r\n"
    )


@pytest.mark.parametrize(
    ("name", "filters", "extra", "want"),
    [
        (
            "tickets-per-agent",
            Filters(month="2025-03", agent=7),
            {},
            "tickets-per-agent_month-2025-03_agent-7.csv",
        ),
        ("summary", None, {}, "summary.csv"),
        ("summary", Filters(), {}, "summary.csv"),
        (
            "categories",
            Filters(category="Account access", status="open"),
            {},
            "categories_category-account-access_status-open.csv",
        ),
        (
            "tickets",
            Filters(status="resolved"),
            {"search": "Ann O'Brien"},
            "tickets_status-resolved_search-ann-o-brien.csv",
        ),
        ("tickets", None, {"search": ""}, "tickets.csv"),
        ("tickets", None, {"search": None}, "tickets.csv"),
        ("tickets", None, {"search": "%%%"}, "tickets.csv"),
        ("../../etc/passwd", None, {}, "etc-passwd.csv"),
        ("Résumé Report", None, {}, "r-sum-report.csv"),
        ("", None, {}, "export.csv"),
        ('a<b>:"c"|?*\\d', None, {}, "a-b-c-d.csv"),
    ],
)
def test_ex008_file_names(name, filters, extra, want):
    assert filename(name, filters, **extra) == want


def test_ex009_file_names_are_short_and_safe():
    got = filename("tickets", None, search="x" * 500)
    assert len(got) <= 160
    assert got.endswith(".csv")
    assert set(got) <= set("abcdefghijklmnopqrstuvwxyz0123456789.-_")


def test_ex010_readable_headers_and_rounded_values():
    df = pd.DataFrame(
        {
            "ticket_id": [7],
            "resolution_hours": [649.9086111111111],
            "csat": [0.90123],
            "avg_rating": [4.166666],
            "n": [3],
            "something_new": [1.23456],
        }
    )
    out = readable(df)
    assert list(out.columns) == [
        "Ticket",
        "Resolution time (hours)",
        "CSAT (%)",
        "Average rating",
        "Tickets",
        "something_new",
    ]
    assert out.iloc[0].tolist() == [7, 649.91, 90.1, 4.17, 3, 1.23]
    assert df["csat"][0] == 0.90123  # the frame itself is not changed


def test_ex011_stream_writes_the_header_once():
    parts = [pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"a": [3]})]
    assert "".join(stream(parts)) == "a\r\n1\r\n2\r\n3\r\n"
    assert list(stream([])) == []


def test_ex012_share_headers_are_derived_from_the_share_columns():
    assert header("csat") == "CSAT (%)"
    assert header("multi_agent_share") == "Multi-agent (%)"
    assert header("avg_rating") == "Average rating"
    assert header("something_new") == "something_new"
    assert {c for c in HEADERS if header(c).endswith("(%)")} == {
        "share",
        "csat",
        "resolved_share",
        "one_touch_share",
        "multi_agent_share",
    }
