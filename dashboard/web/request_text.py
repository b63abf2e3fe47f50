"""Text that no page sends, found once at the edge for every route and callback.

JSON can carry strings that a browser's form, URL or Dash renderer never produces:
lone UTF-16 surrogates ("\\ud800"), which UTF-8 cannot encode, so URL quoting,
Dash's JSON answer and the facts engine each refuse them somewhere deep inside; NUL
characters, which databases and C libraries treat as the end of a string; and
strings longer than any field of the page. Request values holding them are refused
with a 400 before any of our code sees them (checks.py). Other control characters
and characters beyond the BMP (emoji) are text people type, and pass.
"""

from collections.abc import Iterable

# Far longer than any string the page sends (the longest, a callback's output spec,
# has 2,316 characters), and longer than the 100,000-character values that callbacks
# answer with a plain-words notice (tests/unit/test_callbacks.py): what is refused
# here is only what no page, hand-edited link or pasted text comes near.
MAX_TEXT = 200_000


def string_problem(text: str) -> str | None:
    """Why `text` is no text a page sends; None when it is."""
    if len(text) > MAX_TEXT:
        return f"a string of {len(text)} characters (at most {MAX_TEXT})"
    if "\x00" in text:
        return "a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "a lone surrogate"
    return None


def problem(value) -> str | None:
    """The first string inside a JSON value (keys included) that is no text a page
    sends; None when there is none. Iterative: deep nesting costs no recursion."""
    pending = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            found = string_problem(node)
            if found:
                return found
        elif isinstance(node, dict):
            pending.extend(node.keys())
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return None


def pairs_problem(pairs: Iterable[tuple[str, str]]) -> str | None:
    """The first key or value of query or form fields that is no text a page sends."""
    for key, value in pairs:
        found = string_problem(key) or string_problem(value)
        if found:
            return found
    return None
