"""Bounds and parsers for values that arrive from a link, a box or the command line:
ids that can be rows of the support database, and the search text."""

import re

MAX_ID = 2**31 - 1  # INT primary keys: larger numbers cannot be an id of any row
MAX_SEARCH_TEXT = 100  # characters of a search kept (as the search box takes)

_TICKET_ID = re.compile(r"^#?\s*(\d{1,10})$")


def looks_like_ticket_id(text: str) -> bool:
    """Whether `text` is written as a ticket number (`123`, `#123`)."""
    return _TICKET_ID.match(text) is not None


def parse_ticket_id(value) -> int | None:
    """A ticket id from user input (`123`, `"123"`, `"#123"`); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        match = _TICKET_ID.match(str(value).strip()) if value is not None else None
        if match is None:
            return None
        number = int(match.group(1))
    return number if 1 <= number <= MAX_ID else None
