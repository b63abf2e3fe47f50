"""The drill-down queries on the tiny hand-built data set (tests/tiny.py).

The tickets table runs through the facts store (as the page does) and directly on the
support tables; ticket_detail (the conversation) reads the support tables. Expected
values are worked out by hand from tests/tiny.py:

    id  opened            customer  category        status    agents            msgs
    1   2025-01-06 09:00  Cat Diaz  Bug report      resolved  Ann Lee           4
    2   2025-01-10 08:00  Dan Eko   Bug report      resolved  Ann Lee, Bob Ray  4
    3   2025-02-03 09:00  Cat Diaz  Wrong order     resolved  Ann Lee (id 3)    2
    4   2025-02-20 10:00  Dan Eko   Account access  open      Bob Ray           3
    5   2025-02-25 15:00  Cat Diaz  Bug report      open      -                 1

    id  resolution h  first response h  rating
    1   4             1                 5
    2   36            6                 2
    3   0.5           0.5               4
    4   -             2                 -
    5   -             -                 -
"""

import math
from datetime import datetime

import pandas as pd
import pytest

from dashboard.data.facts import DIRECT
from dashboard.data.filters import Filters
from dashboard.data.tickets import (
    COLUMNS,
    MESSAGE_COLUMNS,
    SortError,
    ticket_detail,
    tickets_page,
)
from dashboard.data.values import parse_ticket_id
from dashboard.engine.store import FactsStore
from tests import tiny


@pytest.fixture(params=["stored", "direct"])
def page(request, tiny_engine):
    """page(filters=None, search=None, sort=None, start=0, end=50, **kw) -> (df, n),
    through the facts store (as the page does) or directly on the support tables."""

    def _page(filters=None, search=None, sort=None, start=0, end=50, **kw):
        args = (filters or Filters(), search, sort, start, end)

        def query(reader, facts):
            return tickets_page(reader, *args, facts, **kw)

        if request.param == "direct":
            with tiny_engine.connect() as conn:
                return query(conn, DIRECT)
        store = FactsStore(tiny_engine)
        store.refresh()
        return store.read(query)

    return _page


def ids(result):
    df, _total = result
    return df["ticket_id"].tolist()


def test_tk001_columns_and_every_figure_of_a_row(page):
    df, total = page()
    assert list(df.columns) == list(COLUMNS)
    assert total == 5
    row = df.set_index("ticket_id").loc[2]
    assert row["opened"] == pd.Timestamp("2025-01-10 08:00")
    assert row["customer"] == "Dan Eko"
    assert row["customer_email"] == "dan@example.com"
    assert row["customer_phone"] == "5551000002"  # text, whatever the source keeps
    assert row["ticket_category"] == "Bug report"
    assert row["ticket_status"] == "resolved"
    assert row["agents"] == "Ann Lee, Bob Ray"
    assert row["n_messages"] == 4
    assert row["resolution_hours"] == 36.0
    assert row["first_response_hours"] == 6.0
    assert row["ticket_rating"] == 2


def test_tk002_open_tickets_have_blank_figures(page):
    df, _ = page()
    rows = df.set_index("ticket_id")
    assert rows.loc[5, "agents"] == ""
    assert math.isnan(rows.loc[5, "first_response_hours"])
    assert math.isnan(rows.loc[4, "resolution_hours"])
    assert rows.loc[4, "first_response_hours"] == 2.0
    assert pd.isna(rows.loc[4, "ticket_rating"])


def test_tk003_default_order_is_newest_first(page):
    assert ids(page()) == [5, 4, 3, 2, 1]


@pytest.mark.parametrize(
    ("start", "end", "want"),
    [(0, 2, [5, 4]), (2, 4, [3, 2]), (4, 6, [1]), (5, 10, []), (1, 1, [])],
)
def test_tk004_pages_are_slices_with_the_full_count(page, start, end, want):
    df, total = page(start=start, end=end)
    assert df["ticket_id"].tolist() == want
    assert total == 5


def test_tk005_end_none_gives_every_row_for_the_export(page):
    assert ids(page(start=1, end=None)) == [4, 3, 2, 1]


@pytest.mark.slow  # computes for seconds
@pytest.mark.parametrize(
    ("sort", "want"),
    [
        ([("ticket_id", "asc")], [1, 2, 3, 4, 5]),
        ([("opened", "asc")], [1, 2, 3, 4, 5]),
        ([("opened", "DESC")], [5, 4, 3, 2, 1]),
        # missing values last in both directions; ties newest first
        ([("resolution_hours", "asc")], [3, 1, 2, 5, 4]),
        ([("resolution_hours", "desc")], [2, 1, 3, 5, 4]),
        ([("first_response_hours", "desc")], [2, 4, 1, 3, 5]),
        ([("ticket_rating", "desc")], [1, 3, 2, 5, 4]),
        ([("ticket_rating", "asc")], [2, 3, 1, 5, 4]),
        ([("n_messages", "asc")], [5, 3, 4, 2, 1]),
        ([("n_messages", "desc")], [2, 1, 4, 3, 5]),
        # several columns: customer A-Z, then oldest first within a customer
        ([("customer", "asc"), ("opened", "asc")], [1, 3, 5, 2, 4]),
        ([("customer", "desc"), ("ticket_id", "desc")], [4, 2, 5, 3, 1]),
        ([("ticket_status", "desc"), ("resolution_hours", "asc")], [3, 1, 2, 5, 4]),
        ([("ticket_category", "asc"), ("n_messages", "desc")], [4, 2, 1, 5, 3]),
        ([("customer_email", "asc")], [5, 3, 1, 4, 2]),
        ([("customer_phone", "desc")], [4, 2, 5, 3, 1]),
        ([], [5, 4, 3, 2, 1]),
    ],
)
def test_tk006_sorting(page, sort, want):
    assert ids(page(sort=sort)) == want


def test_tk007_sorting_and_paging_together(page):
    sort = [("resolution_hours", "desc")]
    assert ids(page(sort=sort, start=0, end=2)) == [2, 1]
    assert ids(page(sort=sort, start=2, end=4)) == [3, 5]


@pytest.mark.parametrize(
    "sort",
    [
        [("agents", "asc")],
        [("message_text", "asc")],
        [("ticket_id; DROP TABLE TICKET", "asc")],
        [("ticket_id", "sideways")],
    ],
)
def test_tk008_unknown_sort_keys_are_refused(page, sort):
    with pytest.raises(SortError, match="sort"):
        page(sort=sort)


@pytest.mark.slow  # computes for seconds
@pytest.mark.parametrize(
    ("search", "want"),
    [
        ("cat", [5, 3, 1]),
        ("CAT DIAZ", [5, 3, 1]),
        ("t di", [5, 3, 1]),
        ("dan@EXAMPLE", [4, 2]),
        ("example.com", [5, 4, 3, 2, 1]),
        ("2", [2]),
        ("#4", [4]),
        (" #4 ", [4]),
        ("# 4", [4]),
        ("99", []),
        ("99999999999999", []),
        ("nobody", []),
        ("", [5, 4, 3, 2, 1]),
        ("   ", [5, 4, 3, 2, 1]),
        (None, [5, 4, 3, 2, 1]),
    ],
)
def test_tk009_search_by_name_email_or_id(page, search, want):
    df, total = page(search=search)
    assert df["ticket_id"].tolist() == want
    assert total == len(want)


@pytest.mark.parametrize("search", ["%", "_", "a_a", "%@%", "\\", "/", "' OR 1=1 --"])
def test_tk010_like_wildcards_and_quotes_are_taken_literally(page, search):
    assert ids(page(search=search)) == []


def test_tk011_wildcards_match_themselves(tiny_engine, page):
    # a customer whose email holds every LIKE special character
    with tiny_engine.begin() as conn:
        tiny.add_customer(conn, 3, 13, "100%_real/\\x@example.com")
        tiny.add_ticket(conn, 6, 3, [(13, "2025-03-01 09:00", "hello")])
    for search in ("100%_", "%_real/", "/\\x@", "0%_r"):
        assert ids(page(search=search)) == [6], search
    assert ids(page(search="100%r")) == []


@pytest.mark.parametrize(
    ("filters", "search", "want"),
    [
        (Filters(status="open"), None, [5, 4]),
        (Filters(agent=1), None, [2, 1]),
        (Filters(agent=3), None, [3]),
        (Filters(month="2025-02"), "dan", [4]),
        (Filters(category="Bug report"), "cat", [5, 1]),
        (Filters(category="Bug report", status="resolved"), "#3", []),
    ],
)
def test_tk012_count_follows_filters_and_search(page, filters, search, want):
    df, total = page(filters=filters, search=search, end=1)
    assert total == len(want)
    assert df["ticket_id"].tolist() == want[:1]


def test_tk013_personal_data_off_blanks_email_and_phone(page):
    df, total = page(personal_data=False)
    assert total == 5
    assert list(df.columns) == list(COLUMNS)
    assert df["customer_email"].isna().all()
    assert df["customer_phone"].isna().all()
    assert df["customer"].tolist()[0] == "C. D."  # Cat Diaz, as initials


def test_tk014_personal_data_off_neither_searches_nor_sorts_by_it(page):
    assert ids(page(search="dan@", personal_data=False)) == []
    assert ids(page(search="dan", personal_data=False)) == []  # names are hidden
    assert ids(page(search="dan")) == [4, 2]
    assert ids(page(search="bug", personal_data=False)) == [5, 2, 1]  # category
    assert ids(page(search="bob ray", personal_data=False)) == [4, 2]  # agent
    with pytest.raises(SortError):
        page(sort=[("customer_email", "asc")], personal_data=False)


def test_tk015_bad_row_range_is_refused(page):
    with pytest.raises(ValueError, match=r"bad row range \[-1, "):
        page(start=-1)
    with pytest.raises(ValueError, match=r"bad row range \[3, 2\)"):
        page(start=3, end=2)


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (7, 7),
        ("7", 7),
        ("#7", 7),
        (" # 7 ", 7),
        ("0", None),
        (0, None),
        (-3, None),
        ("-3", None),
        ("7a", None),
        ("", None),
        (None, None),
        (True, None),
        ("2147483647", 2147483647),
        ("2147483648", None),
    ],
)
def test_tk016_parse_ticket_id(value, want):
    assert parse_ticket_id(value) == want


# --- the conversation -------------------------------------------------------------


def test_cv001_conversation_header(tiny_engine):
    with tiny_engine.connect() as conn:
        header, _messages = ticket_detail(conn, 2)
    assert header == {
        "ticket_id": 2,
        "customer": "Dan Eko",
        "customer_email": "dan@example.com",
        "customer_phone": "5551000002",
        "ticket_category": "Bug report",
        "ticket_status": "resolved",
        "ticket_rating": 2,
        "agents": ["Ann Lee", "Bob Ray"],
        "opened": datetime(2025, 1, 10, 8),
        "last_message_at": datetime(2025, 1, 11, 20),
        "n_messages": 4,
        "resolution_hours": 36.0,
        "first_response_hours": 6.0,
    }


def test_cv002_messages_in_time_order_with_gaps_and_senders(tiny_engine):
    with tiny_engine.connect() as conn:
        _header, messages = ticket_detail(conn, 2)
    assert list(messages.columns) == list(MESSAGE_COLUMNS)
    assert messages.drop(columns="sent_at").to_dict("records") == [
        {
            "message_id": 5,
            "sender_type": "customer",
            "sender_name": "Dan Eko",
            "text": "message 5",
            "gap_hours": None,
        },
        {
            "message_id": 6,
            "sender_type": "agent",
            "sender_name": "Ann Lee",
            "text": "message 6",
            "gap_hours": 6.0,
        },
        {
            "message_id": 7,
            "sender_type": "customer",
            "sender_name": "Dan Eko",
            "text": "message 7",
            "gap_hours": 18.0,
        },
        {
            "message_id": 8,
            "sender_type": "agent",
            "sender_name": "Bob Ray",
            "text": "message 8",
            "gap_hours": 12.0,
        },
    ]
    assert messages["sent_at"].tolist() == [
        pd.Timestamp("2025-01-10 08:00"),
        pd.Timestamp("2025-01-10 14:00"),
        pd.Timestamp("2025-01-11 08:00"),
        pd.Timestamp("2025-01-11 20:00"),
    ]


def test_cv003_order_is_by_time_not_by_id(tiny_engine):
    # a message inserted late (higher id) but sent earlier comes first
    with tiny_engine.begin() as conn:
        tiny.add_message(
            conn, 5, 11, "2025-02-25 14:00", "<script>alert(1)</script>", 99
        )
    with tiny_engine.connect() as conn:
        header, messages = ticket_detail(conn, "#5")
    assert messages["message_id"].tolist() == [99, 14]
    assert messages["gap_hours"].tolist() == [None, 1.0]
    assert messages["text"][0] == "<script>alert(1)</script>"  # text, as stored
    assert header["agents"] == []
    assert header["first_response_hours"] is None
    assert header["resolution_hours"] is None
    assert header["ticket_rating"] is None


def test_cv004_same_named_agents_are_listed_apart(tiny_engine):
    with tiny_engine.begin() as conn:
        tiny.add_message(conn, 4, 3, "2025-02-21 10:00", "hi")
        tiny.add_message(conn, 4, 1, "2025-02-21 11:00", "hi")
    with tiny_engine.connect() as conn:
        header, _ = ticket_detail(conn, 4)
    assert header["agents"] == ["Bob Ray", "Ann Lee", "Ann Lee"]  # order of joining


@pytest.mark.parametrize("ticket_id", [99, 0, -1, "abc", None, 10**12])
def test_cv005_unknown_ticket_is_none(tiny_engine, ticket_id):
    with tiny_engine.connect() as conn:
        assert ticket_detail(conn, ticket_id) is None


def test_cv006_personal_data_off(tiny_engine):
    with tiny_engine.connect() as conn:
        header, messages = ticket_detail(conn, 2, personal_data=False)
    assert header["customer_email"] is None
    assert header["customer_phone"] is None
    assert header["customer"] == "D. E."  # Dan Eko, as initials
    assert len(messages) == 4
    senders = set(messages.loc[messages.sender_type == "customer", "sender_name"])
    assert senders == {"D. E."}
