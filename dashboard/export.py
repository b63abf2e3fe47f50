"""CSV export shared by the CLI (`report --format csv`) and the page downloads.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return) as a formula, so a customer could plant one in a message or a name ("CSV
injection"). Such text cells get a leading single quote, which spreadsheets show as
text; numbers, including negative ones, stay numbers.
"""

import datetime as dt
import numbers
import re

import pandas as pd

from dashboard.filters import Filters

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
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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


def to_csv(df: pd.DataFrame) -> str:
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
    return safe.to_csv(index=False, lineterminator="\r\n")


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
