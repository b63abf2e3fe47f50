"""The conversation view: one ticket's header and its messages as a chat thread.

Pure builders from `tickets.conversation`'s (header, messages). Message text goes into
the page as a plain string child, which React renders as text: markup a customer
typed (`<script>`, HTML, markdown) is shown, never interpreted. Customer and agent
messages differ by CSS class only (assets/style.css).
"""

from datetime import datetime

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.data import formats
from dashboard.ui import theme

STATUS_COLORS = {"open": "warning", "resolved": "success"}


def when(t) -> str:
    """'4 Mar 2025, 10:22'."""
    if t is None or t is pd.NaT:
        return formats.DASH
    t = pd.Timestamp(t)
    return f"{t.day} {t:%b %Y, %H:%M}"


def gap_text(hours) -> str:
    """The time since the previous message: '' for the first, '3 min later', ..."""
    if formats.missing(hours):
        return ""
    if float(hours) * 60 < 1:
        return "under a minute later"
    return f"{theme.hours(hours)} later"


def rating_text(rating) -> str:
    if formats.missing(rating):
        return "Not rated"
    stars = int(rating)
    return "★" * stars + "☆" * (5 - stars) + f" {stars}/5"


def title(ticket_id: int) -> str:
    return f"Ticket #{ticket_id}"


def _fact(label: str, value: str, class_name: str = "") -> html.Div:
    return html.Div(
        [html.Dt(label), html.Dd(value, className=class_name)], className="ticket-fact"
    )


def header(h: dict) -> html.Div:
    """Customer, category, status, rating, agents and the two times."""
    status = h["ticket_status"]
    contact = [v for v in (h.get("customer_email"), h.get("customer_phone")) if v]
    agents = ", ".join(h["agents"]) if h["agents"] else "No agent has replied yet"
    resolution = (
        theme.hours(h["resolution_hours"]) if status == "resolved" else "Still open"
    )
    first = h["first_response_hours"]
    return html.Div(
        [
            html.Div(
                [
                    html.Div(
                        h["customer"] or "Unknown customer", className="ticket-customer"
                    ),
                    html.Div(
                        " · ".join(str(v) for v in contact),
                        className="ticket-contact",
                    )
                    if contact
                    else None,
                ],
                className="mb-2",
            ),
            html.Div(
                [
                    dbc.Badge(
                        h["ticket_category"],
                        color="light",
                        text_color="dark",
                        class_name="ticket-badge border",
                    ),
                    dbc.Badge(
                        status.capitalize(),
                        color=STATUS_COLORS.get(status, "secondary"),
                        class_name=f"ticket-badge ticket-status status-{status}",
                    ),
                    html.Span(
                        rating_text(h["ticket_rating"]),
                        className="ticket-rating"
                        + (" unrated" if formats.missing(h["ticket_rating"]) else ""),
                    ),
                ],
                className="d-flex flex-wrap align-items-center gap-2 mb-3",
            ),
            html.Dl(
                [
                    _fact("Agents", agents, "ticket-agents"),
                    _fact("Opened", when(h["opened"])),
                    _fact(
                        "First response",
                        theme.hours(first) if first is not None else "No reply yet",
                    ),
                    _fact("Resolution", resolution),
                    _fact("Messages", f"{h['n_messages']:,}"),
                ],
                className="ticket-facts",
            ),
        ],
        className="ticket-header",
    )


def message(row) -> html.Li:
    """One message: a gap line (not for the first), sender, time, and the text."""
    side = "customer" if row.sender_type == "customer" else "agent"
    sent: datetime = pd.Timestamp(row.sent_at)
    gap = gap_text(row.gap_hours)
    return html.Li(
        [
            html.Div(gap, className="chat-gap") if gap else None,
            html.Div(
                [
                    html.Div(
                        [
                            html.Span(
                                row.sender_name or side.capitalize(),
                                className="chat-sender",
                            ),
                            html.Span(side, className="chat-role"),
                            html.Time(
                                when(sent),
                                dateTime=sent.isoformat(),
                                className="chat-time",
                            ),
                        ],
                        className="chat-meta",
                    ),
                    html.Div(str(row.text), className="chat-text"),
                ],
                className="chat-bubble",
            ),
        ],
        className=f"chat-message chat-{side}",
        **{"data-message-id": str(int(row.message_id))},
    )


def thread(messages: pd.DataFrame) -> html.Ol | html.P:
    if messages.empty:
        return html.P("This ticket has no messages.", className="text-secondary")
    return html.Ol(
        [message(row) for row in messages.itertuples(index=False)],
        className="chat-thread",
    )


def view(h: dict, messages: pd.DataFrame) -> list:
    """The whole panel body for a ticket."""
    return [
        header(h),
        html.H3("Conversation", className="chat-heading"),
        thread(messages),
    ]


def not_found(ticket_id: int) -> dbc.Alert:
    return dbc.Alert(
        [
            html.Strong(f"There is no ticket #{ticket_id}. "),
            "The link may be mistyped, or the ticket is not in this database.",
        ],
        color="warning",
        class_name="ticket-notice",
    )


def unreadable(reason: str) -> dbc.Alert:
    """`reason` in a visitor's terms (db.user_message)."""
    return dbc.Alert(
        [html.Strong("The conversation cannot be read right now. "), reason],
        color="danger",
        class_name="ticket-notice",
    )
