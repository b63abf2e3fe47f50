"""The CSV downloads as plain HTTP routes that stream, and the links to them.

`/download/tickets.csv?<filters>&q=<search>&sort=opened:desc` writes every ticket
matching the filters and the search, in the table's order; `/download/<report>.csv?
<filters>` one report's data. The file is written batch by batch from the facts
store (one consistent read), so a download of all 377,000 tickets at 1000x never
sits in memory whole and binds no per-ticket values. The query string is parsed
like the page's link (urlstate): a malformed value is dropped, never an error.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Flask, Response, abort, request, stream_with_context

from dashboard.data import export
from dashboard.data.filters import Filters
from dashboard.data.reports import AGE_BUCKETS, REPORTS
from dashboard.data.tickets import tickets_query, typed
from dashboard.engine.store import FactsStore
from dashboard.web import auth, grid_requests, urlstate

ROUTE = "/download/"
TICKETS = "tickets"
SORT, AGE = "sort", "age"  # and urlstate.SEARCH, as in the page's link
MAX_SORT_KEYS = 4
BATCH_VECTORS = 8  # x 2,048 rows: what one batch of a download holds at most


def tickets_href(
    filters: Filters, search: str = "", sort_model=None, age: int | None = None
) -> str:
    """The link that downloads the tickets table as shown: filters, search, sort,
    and the age picked in the queue chart."""
    pairs = list(urlstate.pairs(filters))
    if text := urlstate.search_text(search):
        pairs.append((urlstate.SEARCH, text))
    sort = grid_requests.sort_list(sort_model)
    if sort:
        pairs.append((SORT, ",".join(f"{col}:{way}" for col, way in sort)))
    if age is not None:
        pairs.append((AGE, str(age)))
    return f"{ROUTE}{TICKETS}.csv" + ("?" + urlencode(pairs) if pairs else "")


def report_href(name: str, filters: Filters) -> str:
    """The link that downloads report `name` for these filters."""
    pairs = list(urlstate.pairs(filters))
    return f"{ROUTE}{name}.csv" + ("?" + urlencode(pairs) if pairs else "")


def _sort_model(text: str | None) -> list[dict]:
    """'opened:desc,ticket_id:asc' -> an AG Grid sortModel, for
    grid_requests.sort_list to check (parts that are not a sortable column and
    direction are dropped there)."""
    parts = (text or "").split(",")[:MAX_SORT_KEYS]
    return [dict(zip(("colId", "sort"), p.split(":", 1), strict=False)) for p in parts]


def _filters() -> Filters:
    values = {k: request.args.get(k) for k in urlstate.PARAMS}
    return urlstate.from_values(values).filters


def _csv(name: str, chunks) -> Response:
    response = Response(stream_with_context(chunks), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def install(
    server: Flask, store: FactsStore, personal_data: Callable[[], bool]
) -> None:
    """Add the download routes to the Flask server (auth.py's gate covers them;
    `personal_data()` says whether this request may see email and phone)."""

    @server.get(f"{ROUTE}<name>.csv")
    def download(name: str):
        if name != TICKETS and name not in REPORTS:
            abort(404)
        if store.fingerprint is None:
            abort(503, "The data is still loading; try again in a moment.")
        filters = _filters()
        if name == TICKETS:
            search = urlstate.search_text(request.args.get(urlstate.SEARCH))
            personal = personal_data()
            sort = grid_requests.sort_list(
                _sort_model(request.args.get(SORT)), personal
            )
            picked = grid_requests.age(request.args.get(AGE))
            batches = store.batches(
                lambda facts: tickets_query(
                    filters, search, sort, facts, personal_data=personal, age=picked
                ),
                BATCH_VECTORS,
            )
            frames = (export.readable(typed(df)) for df in batches)
            age = AGE_BUCKETS[picked][0] if picked is not None else None
            filename = export.filename(TICKETS, filters, search=search, age=age)
        else:
            frames = iter([export.readable(store.run(name, filters))])
            filename = export.filename(name, filters)
        auth.audit("export", what=filename)
        return _csv(filename, export.stream(frames))
