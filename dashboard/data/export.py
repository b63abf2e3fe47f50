"""CSV export shared by the CLI (`report --format csv`) and the page downloads.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return) as a formula, also after leading spaces or control characters, so a
customer could plant one in a message or a name ("CSV injection", as OWASP
describes it). Such text cells get a leading single quote, which spreadsheets show
as text; numbers, including negative ones, stay numbers.

The page's downloads are for people: `readable` gives them plain-words headers and
rounded values, and `stream` writes a result that arrives in batches without ever
holding it whole. The CLI's CSV and JSON stay exact, with the columns' own names.
"""

import datetime as dt
import numbers
import re
import unicodedata
from collections.abc import Iterable, Iterator

import pandas as pd

from dashboard.data import formats
from dashboard.data.filters import Filters
from dashboard.data.reports import SHARES

# The full-width forms too: some spreadsheet locales treat them like the ASCII ones.
FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)
_MAX_NAME = 150


def neutralise(text: str) -> str:
    """`text`, prefixed with a single quote if a spreadsheet would run it."""
    return "'" + text if _ignored_lead(text).startswith(FORMULA_STARTS) else text


def _ignored_lead(text: str) -> str:
    """`text` without the leading blanks and control characters a spreadsheet
    skips before it looks for a formula (tab and carriage return themselves are
    formula starts)."""
    i = 0
    while (
        i < len(text)
        and text[i] not in "\t\r"
        and (text[i].isspace() or unicodedata.category(text[i]) == "Cc")
    ):
        i += 1
    return text[i:]


def _cell(value):
    if isinstance(value, str):
        return neutralise(value)
    if value is None or isinstance(
        value, (numbers.Number, dt.date, dt.time, pd.Timestamp)
    ):
        return value
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return value
    return neutralise(str(value))  # anything else is written as its text


def _kept(series: pd.Series) -> bool:
    types = pd.api.types
    return types.is_numeric_dtype(series) or types.is_datetime64_any_dtype(series)


def to_csv(df: pd.DataFrame, header: bool = True) -> str:
    """The frame as CSV text (header row, no index, CRLF line ends), safe to open in a
    spreadsheet."""
    safe = df.copy()
    safe.columns = [neutralise(str(c)) for c in df.columns]
    for i, col in enumerate(df.columns):
        series = df[col]
        if _kept(series):
            continue  # numbers (negative ones too) and timestamps stay as they are
        safe.isetitem(i, series.astype(object).map(_cell))
    # CRLF as RFC 4180 says; it also makes the writer quote a cell holding a lone CR.
    return safe.to_csv(index=False, header=header, lineterminator="\r\n")


def stream(frames: Iterable[pd.DataFrame]) -> Iterator[str]:
    """CSV text for a result that arrives in batches: the header with the first."""
    first = True
    for df in frames:
        yield to_csv(df, header=first)
        first = False


# Plain-words headers for the page's downloads, by column (reports and tickets);
# a share's (reports.SHARES) gets " (%)" added, as its values are in percent there.
HEADERS = {
    "ticket_id": "Ticket",
    "opened": "Opened",
    "customer": "Customer",
    "customer_email": "Email",
    "customer_phone": "Phone",
    "ticket_category": "Category",
    "ticket_status": "Status",
    "agents": "Agents",
    "n_messages": "Messages",
    "resolution_hours": "Resolution time (hours)",
    "first_response_hours": "First response (hours)",
    "ticket_rating": "Rating",
    "month": "Month",
    "month_name": "Month name",
    "day": "Day",
    "day_name": "Day name",
    "n": "Tickets",
    "agent_id": "Agent id",
    "agent": "Agent",
    "number_of_agents": "Agents on the ticket",
    "number_of_tickets": "Tickets",
    "min_resolution_time": "Fastest resolution (hours)",
    "avg_resolution_time": "Average resolution (hours)",
    "median_resolution_time": "Median resolution (hours)",
    "p90_resolution_time": "90th percentile resolution (hours)",
    "max_resolution_time": "Slowest resolution (hours)",
    "min_first_response": "Fastest first response (hours)",
    "avg_first_response": "Average first response (hours)",
    "median_first_response": "Median first response (hours)",
    "p90_first_response": "90th percentile first response (hours)",
    "max_first_response": "Slowest first response (hours)",
    "min_rating": "Lowest rating",
    "avg_rating": "Average rating",
    "max_rating": "Highest rating",
    "opened_tickets": "Opened",
    "resolved": "Resolved",
    "resolved_tickets": "Resolved",
    "rated": "Rated tickets",
    "rated_tickets": "Rated tickets",
    "answered_tickets": "Answered tickets",
    "tickets": "Tickets",
    "open_tickets": "Open tickets",
    "rating": "Rating",
    "share": "Share",
    "csat": "CSAT",
    "weekday": "Weekday number",
    "weekday_name": "Weekday",
    "hour": "Hour",
    "number_of_messages": "Messages",
    "age": "Age bucket number",
    "age_name": "Age",
    "never_answered": "Never answered",
    "waiting_on_agent": "Waiting on an agent",
    "waiting_on_customer": "Waiting on the customer",
    "oldest_wait_hours": "Longest wait (hours)",
    "resolved_share": "Resolved",
    "replies_per_resolved": "Agent replies per resolved ticket",
    "replies_per_ticket": "Agent replies per ticket",
    "one_touch_share": "One-touch",
    "multi_agent_share": "Multi-agent",
}


def header(column: str) -> str:
    """A column's plain-words header in a download: 'csat' -> 'CSAT (%)'; a column
    without one keeps its name."""
    text = HEADERS.get(column, column)
    return f"{text} (%)" if column in SHARES else text


def readable(df: pd.DataFrame) -> pd.DataFrame:
    """A frame for people: plain-words headers, hours and averages rounded, shares
    as rounded percentages (formats.py; numbers stay numbers)."""
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_float_dtype(out[col]):
            continue
        if col in SHARES:
            out[col] = formats.percent_values(out[col])
        else:
            out[col] = formats.decimal_values(out[col])
    return out.rename(columns=header)


def _slug(text) -> str:
    """Lower-case letters, digits, dots and dashes only."""
    return re.sub(r"[^a-z0-9.]+", "-", str(text).lower()).strip("-.")


def filename(name: str, filters: Filters | None = None, **extra) -> str:
    """A safe file name naming the export and its filters, e.g.
    `tickets-per-agent_month-2025-03_agent-7.csv`; `extra` adds parts such as a
    search (`search="ann"` -> `_search-ann`)."""
    parts = [_slug(name) or "export"]
    items = list((filters.as_dict() if filters else {}).items()) + list(extra.items())
    for key, value in items:
        if value is None or value == "":
            continue
        if slug := _slug(value):
            parts.append(f"{_slug(key)}-{slug}")
    stem = "_".join(parts)[:_MAX_NAME].rstrip("-_.")
    return f"{stem}.csv"
