"""The filters in the URL query string, and back: `?month=2025-03&agent=7&...`, plus
the open conversation (`&ticket=123`).

Pure functions. Anything a URL or a callback payload can hold is accepted: a value
that cannot be used is dropped and a plain-words notice says so, so a hand-edited link
or a forged request never becomes an error page. Validation is Filters' own
(Filters.parse / FilterError); this module only decides what to keep.
"""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from dashboard.data.filters import FilterError, Filters
from dashboard.data.values import MAX_ID, MAX_SEARCH_TEXT, parse_ticket_id

PARAMS = ("month", "agent", "category", "status")
TICKET = "ticket"  # the ticket whose conversation is open; not a filter
SEARCH = "q"  # the tickets table's search text; not a filter either
MAX_VALUE_LENGTH = 64  # longer than any valid value; longer ones are not parsed
MAX_SEARCH_LENGTH = 2000


@dataclass(frozen=True)
class Parsed:
    """Filters made from raw input, and a notice for every value that was dropped."""

    filters: Filters
    notices: tuple[str, ...] = ()
    ticket: int | None = None  # the open conversation, if any
    search: str = ""  # the tickets table's search


_ECHO = re.compile(r"[,;] not .*$", re.DOTALL)


def _shorten(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field(name: str, value, agents: Collection[int] | None) -> tuple[object, str]:
    """(usable value or None, notice or '') for one filter field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None, f"Ignored the {name} filter: it is not a {name}."
    if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
        return None, f"Ignored the {name} filter: the value is too long."
    try:
        parsed = getattr(Filters.parse(**{name: value}), name)
    except FilterError as exc:
        return None, f"Ignored {name} {_quote(value)}: {_reason(exc)}."
    if name == "agent" and (
        parsed > MAX_ID or (agents is not None and parsed not in agents)
    ):
        return None, f"Ignored agent {_quote(value)}: there is no such agent."
    return parsed, ""


def _quote(value) -> str:
    return f'"{_shorten(str(value))}"'


def _reason(exc: FilterError) -> str:
    """FilterError's message without its echo of the value (the notice quotes it)."""
    return _ECHO.sub("", str(exc))


def from_values(
    values: Mapping | None, agents: Collection[int] | None = None
) -> Parsed:
    """Filters from field values (the dropdowns', the applied filters'), each checked
    on its own.

    `agents`: the agent ids that exist; None when unknown (the database is down),
    then any positive id is kept.
    """
    if not isinstance(values, Mapping):
        values = {}
    kept: dict[str, Any] = {}  # each value checked by _field, then by Filters
    notices = []
    for name in PARAMS:
        value, notice = _field(name, values.get(name), agents)
        if value is not None:
            kept[name] = value
        if notice:
            notices.append(notice)
    return Parsed(Filters(**kept), tuple(notices))


def parse(search: str | None, agents: Collection[int] | None = None) -> Parsed:
    """Filters from a query string such as '?month=2025-03&category=Bug+report'."""
    if not isinstance(search, str) or not search.strip("?"):
        return Parsed(Filters())
    if len(search) > MAX_SEARCH_LENGTH:
        return Parsed(
            Filters(), ("Ignored the link's filters: the address is too long.",)
        )
    values, notices, ticket, text = {}, [], None, None
    for key, value in parse_qsl(search.lstrip("?"), keep_blank_values=True):
        if key == SEARCH:
            if text is not None:
                notices.append("Ignored a second search in the link; used the first.")
            else:
                text = search_text(value)
        elif key == TICKET:
            if ticket is not None:
                notices.append("Ignored a second ticket in the link; used the first.")
            elif (ticket := parse_ticket_id(value[:MAX_VALUE_LENGTH])) is None:
                notices.append(
                    f"Ignored ticket {_quote(value)}: it is not a ticket number."
                )
        elif key not in PARAMS:
            notices.append(
                f"Ignored {_quote(key)} in the link: it can set only {_names()}."
            )
        elif key in values:
            notices.append(f"Ignored a second {key} in the link; used the first.")
        else:
            values[key] = value
    parsed = from_values(values, agents)
    return Parsed(parsed.filters, tuple(notices) + parsed.notices, ticket, text or "")


def search_text(value) -> str:
    """A search from a link or the search box: trimmed, at most MAX_SEARCH_TEXT
    characters ('' for anything that is not text)."""
    if not isinstance(value, str):
        return ""
    return value.strip()[:MAX_SEARCH_TEXT]


def pairs(filters: Filters) -> list[tuple[str, str]]:
    """The set filters as query-string pairs, in PARAMS order."""
    out = [(k, str(v)) for k, v in filters.as_dict().items()]
    return sorted(out, key=lambda kv: PARAMS.index(kv[0]))


def to_search(filters: Filters, ticket: int | None = None, search: str = "") -> str:
    """The query string for `filters`, the table's search and the open ticket (''
    when none is set): fields in order, then the search, the ticket last."""
    out = pairs(filters)
    if text := search_text(search):
        out.append((SEARCH, text))
    if ticket is not None:
        out.append((TICKET, str(ticket)))
    return "?" + urlencode(out) if out else ""


def replace(
    filters: Filters, field: str, value, agents: Collection[int] | None = None
) -> Parsed:
    """`filters` with one field set from raw input (e.g. a clicked chart bar)."""
    if field not in PARAMS:
        raise ValueError(f"no filter {field!r}")
    values = filters.as_dict()
    values[field] = value
    return from_values(values, agents)


def _names() -> str:
    return ", ".join((*PARAMS, SEARCH)) + " and " + TICKET
