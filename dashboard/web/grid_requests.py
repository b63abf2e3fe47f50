"""What the tickets grid asks for, checked: an AG Grid `getRowsRequest` (its rows and
sortModel) -> the arguments of `tickets.tickets_page`, and the age bucket picked in
the queue chart. The page's callbacks and the CSV download read requests the same
way; anything malformed or forged is dropped or bounded, never an error."""

import math
from collections.abc import Mapping

from dashboard.data.reports import AGE_BUCKETS
from dashboard.data.tickets import PERSONAL, SORTABLE
from dashboard.ui.grid import PAGE_SIZE

MAX_ROWS = 200  # rows one request may ask for: a forged request cannot take them all


def sort_list(sort_model, personal_data: bool = True) -> list[tuple[str, str]]:
    """AG Grid's sortModel ([{colId, sort}, ...]) -> tickets_page's sort list.

    Entries that are not a sortable column and direction are dropped (the grid
    only sends valid ones; a forged request must not become an error)."""
    allowed = {c for c in SORTABLE if personal_data or c not in PERSONAL}
    out = []
    for item in sort_model if isinstance(sort_model, list) else []:
        if not isinstance(item, Mapping):
            continue
        col, direction = item.get("colId"), item.get("sort")
        if isinstance(col, str) and col in allowed and direction in ("asc", "desc"):
            out.append((col, direction))
    return out


def _row_index(value, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    if not math.isfinite(value):
        return default
    return max(0, int(value))


def row_range(request) -> tuple[int, int]:
    """[start, end) of a getRowsRequest, at most MAX_ROWS rows."""
    request = request if isinstance(request, Mapping) else {}
    start = _row_index(request.get("startRow"), 0)
    end = _row_index(request.get("endRow"), start + PAGE_SIZE)
    return start, min(max(end, start), start + MAX_ROWS)


def age(value) -> int | None:
    """An age bucket picked in the queue chart (reports.AGE_BUCKETS' index), from a
    store or a link: anything else is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and 0 <= value < len(AGE_BUCKETS) else None
