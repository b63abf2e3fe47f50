"""The conversation view builder: customer and agent messages apart, the gap since
the previous message, and message text kept as text."""

from datetime import datetime

import pandas as pd
import pytest
from dash import html

from dashboard.ui import conversation

HEADER = {
    "ticket_id": 12,
    "customer": "Ann Lee",
    "customer_email": "ann@example.com",
    "customer_phone": None,
    "ticket_category": "Bug report",
    "ticket_status": "resolved",
    "ticket_rating": 4,
    "agents": ["Bob Ray", "Cy Dee"],
    "opened": datetime(2025, 3, 4, 9, 0),
    "last_message_at": datetime(2025, 3, 5, 11, 0),
    "n_messages": 3,
    "resolution_hours": 26.0,
    "first_response_hours": 0.25,
}

EVIL = '<script>alert("x")</script> <b>bold</b> [link](http://evil.example)'


def messages() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "message_id": [1, 2, 3],
            "sent_at": pd.to_datetime(
                ["2025-03-04 09:00", "2025-03-04 09:15", "2025-03-05 11:00"]
            ),
            "sender_type": ["customer", "agent", "customer"],
            "sender_name": ["Ann Lee", "Bob Ray", "Ann Lee"],
            "text": ["Hello", "Hi Ann", EVIL],
            "gap_hours": [None, 0.25, 25.75],
        }
    )


def walk(component):
    """Every component in the tree, depth first."""
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            if child is not None and not isinstance(child, str):
                yield from walk(child)
    elif children is not None and not isinstance(children, str | int | float):
        yield from walk(children)


def by_class(component, name):
    return [
        c
        for c in walk(component)
        if name in (getattr(c, "className", None) or "").split()
    ]


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (None, ""),
        (float("nan"), ""),
        (0.001, "under a minute later"),
        (0.25, "15 min later"),
        (3.7, "3.7 h later"),
        (50, "2.1 d later"),
    ],
)
def test_conv001_gap_text(hours, expected):
    assert conversation.gap_text(hours) == expected


def test_conv002_customer_and_agent_messages_have_their_own_class():
    thread = conversation.thread(messages())
    items = thread.children
    assert [i.className for i in items] == [
        "chat-message chat-customer",
        "chat-message chat-agent",
        "chat-message chat-customer",
    ]
    senders = [by_class(i, "chat-sender")[0].children for i in items]
    assert senders == ["Ann Lee", "Bob Ray", "Ann Lee"]


def test_conv003_gap_shown_from_the_second_message_on():
    items = conversation.thread(messages()).children
    gaps = [[g.children for g in by_class(i, "chat-gap")] for i in items]
    assert gaps == [[], ["15 min later"], ["25.8 h later"]]  # days from 48 h
    times = [by_class(i, "chat-time")[0] for i in items]
    assert times[1].children == "4 Mar 2025, 09:15"
    assert times[1].dateTime == "2025-03-04T09:15:00"


def test_conv004_markup_in_a_message_is_a_plain_string():
    item = conversation.thread(messages()).children[2]
    (text,) = by_class(item, "chat-text")
    assert text.children == EVIL  # one string child: React shows it as text
    for component in walk(conversation.view(HEADER, messages())[2]):
        assert not hasattr(component, "dangerously_allow_html")
        assert type(component).__name__ != "Markdown"


def test_conv005_header_shows_the_ticket_facts():
    head = conversation.header(HEADER)
    text = " | ".join(
        str(c.children)
        for c in walk(head)
        if isinstance(getattr(c, "children", None), str)
    )
    for part in (
        "Ann Lee",
        "ann@example.com",
        "Bug report",
        "Resolved",
        "★★★★☆ 4/5",
        "Bob Ray, Cy Dee",
        "4 Mar 2025, 09:00",
        "15 min",  # first response
        "26.0 h",  # resolution
    ):
        assert part in text, part


def test_conv006_open_unrated_ticket_without_replies():
    head = conversation.header(
        {
            **HEADER,
            "ticket_status": "open",
            "ticket_rating": None,
            "agents": [],
            "resolution_hours": None,
            "first_response_hours": None,
            "customer_email": None,
        }
    )
    texts = [
        c.children for c in walk(head) if isinstance(getattr(c, "children", None), str)
    ]
    for part in (
        "Open",
        "Not rated",
        "No agent has replied yet",
        "Still open",
        "No reply yet",
    ):
        assert part in texts, part
    assert not by_class(head, "ticket-contact")


def test_conv007_no_messages_and_not_found():
    empty = messages().iloc[0:0]
    assert isinstance(conversation.thread(empty), html.P)
    alert = conversation.not_found(99)
    assert alert.children[0].children == "There is no ticket #99. "
    assert alert.color == "warning"
