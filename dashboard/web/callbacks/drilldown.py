"""register_drilldown(app, store, loader, reads, settings): the tickets table, the
conversation panel, the CSV downloads and the auto-refresh, kept thin.

- `ticket_rows` answers the grid's getRowsRequest with one page of
  `tickets.tickets_page`, run by the facts store for the applied filters, the
  search box and the grid's sort.
- A client-side callback sends the grid back to its first page when the filters or
  the search change, and reloads the pages it holds when the data changed.
- `show_conversation` reads the open ticket (ids.OPEN_TICKET, set by sync_filters
  in callbacks/view.py from the URL or a row click) from the support database itself,
  through `reads` (db_reads.py): bounded in number and time, "busy" beyond them.
- `poll` runs on the refresh interval (every second while the data loads, for the
  progress banner). It never asks the database: the background loader
  (loader.py) keeps the store up to date. Only when this worker's data is newer
  than what the page shows does it move the page's data version, which redraws the
  KPIs, the charts, the table and the open conversation. (Under gunicorn another
  worker may answer, and it may be behind: see `refresh.behind` and
  callbacks.catch_up.)
- The download links (the table's and each report card's) follow the filters, the
  search and the sort; the files are streamed by plain HTTP routes (downloads.py).
"""

import json

from dash import ALL, Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import SQLAlchemyError

from dashboard.config import Settings
from dashboard.data.db import user_message
from dashboard.data.tickets import ticket_detail, tickets_page
from dashboard.engine.loader import Loader
from dashboard.engine.store import FactsStore
from dashboard.ui import components, conversation, grid, ids, layout, theme
from dashboard.ui.charts import QUEUE
from dashboard.ui.clicks import clicked
from dashboard.web import auth, db_reads, downloads, grid_requests, refresh, urlstate
from dashboard.web.callbacks.view import catch_up

# Filters or search changed: back to the first page. Data changed: reload the pages
# the grid holds, keeping the page the user is on.
RELOAD_GRID = """
async function (filters, search, age, version) {
    // Read the trigger before awaiting: the context is gone after an await.
    const trigger = dash_clientside.callback_context.triggered_id;
    const api = await dash_ag_grid.getApiAsync(GRID);
    if (trigger === VERSION) {
        api.refreshInfiniteCache();
    } else {
        api.paginationGoToFirstPage();
        api.purgeInfiniteCache();
    }
}
""".replace("GRID", json.dumps(ids.TICKETS_GRID)).replace(
    "VERSION", json.dumps(ids.DATA_VERSION)
)

# The leaderboard's search box filters its rows in the browser (they are all there).
SEARCH_AGENTS = """
async function (text) {
    const api = await dash_ag_grid.getApiAsync(GRID);
    api.setGridOption("quickFilterText", text || "");
}
""".replace("GRID", json.dumps(ids.LEADERBOARD_GRID))


# C901 allowed: the callbacks are closures over the app's store and loader; the
# count is theirs together, and each one is short.
def register_drilldown(  # noqa: C901
    app: Dash,
    store: FactsStore,
    loader: Loader,
    reads: db_reads.Reads,
    settings: Settings,
) -> None:
    def personal() -> bool:
        """Whether this request may see personal data (role and deployment)."""
        return auth.personal_data_allowed(settings)

    def up_to_date(version) -> None:
        catch_up(store, loader, version)

    @app.callback(
        output={
            "response": Output(ids.TICKETS_GRID, "getRowsResponse"),
            "count": Output(ids.TICKETS_COUNT, "children"),
            "empty": Output(ids.TICKETS_EMPTY, "children"),
        },
        inputs={"request": Input(ids.TICKETS_GRID, "getRowsRequest")},
        state={
            "applied": State(ids.APPLIED_FILTERS, "data"),
            "search": State(ids.TICKETS_SEARCH, "value"),
            "picked": State(ids.QUEUE_AGE, "data"),
            "version": State(ids.DATA_VERSION, "data"),
        },
        prevent_initial_call=True,
    )
    def ticket_rows(request, applied, search, picked, version):
        if not isinstance(request, dict) or not request:
            raise PreventUpdate  # none yet, or not what the grid sends
        up_to_date(version)
        filters = urlstate.from_values(applied).filters
        text = urlstate.search_text(search)
        start, end = grid_requests.row_range(request)
        allowed = personal()
        sort = grid_requests.sort_list(request.get("sortModel"), allowed)
        if store.fingerprint is None:  # never read: the page shows why
            return {
                "response": {"rowData": [], "rowCount": 0},
                "count": "",
                "empty": None,
            }
        age = grid_requests.age(picked)
        df, total = store.read(
            lambda reader, facts: tickets_page(
                reader,
                filters,
                text,
                sort,
                start,
                end,
                facts,
                personal_data=allowed,
                age=age,
            )
        )
        return {
            "response": {"rowData": grid.rows(df), "rowCount": total},
            "count": theme.plural(total, "ticket"),
            "empty": None if total else grid.empty_state(text, bool(filters.as_dict())),
        }

    app.clientside_callback(
        RELOAD_GRID,
        Input(ids.APPLIED_FILTERS, "data"),
        Input(ids.TICKETS_SEARCH, "value"),
        Input(ids.QUEUE_AGE, "data"),
        Input(ids.DATA_VERSION, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        SEARCH_AGENTS,
        Input(ids.LEADERBOARD_SEARCH, "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.QUEUE_AGE, "data"),
        Output(ids.TICKETS_AGE, "children"),
        Output(ids.TICKETS_AGE, "className"),
        Input(ids.chart(QUEUE.report), "clickData"),
        Input(ids.TICKETS_AGE_CLEAR, "n_clicks"),
        prevent_initial_call=True,
    )
    def pick_age(click, _clear):
        """A click on an age in the queue chart lists those open tickets."""
        picked = None
        if ctx.triggered_id == ids.chart(QUEUE.report):
            picked = grid_requests.age(clicked(click))
            if picked is None:
                raise PreventUpdate
        children, classes = grid.age_chip_parts(picked)
        return picked, children, classes

    @app.callback(
        Output(ids.CONVERSATION, "title"),
        Output(ids.CONVERSATION_BODY, "children"),
        Input(ids.OPEN_TICKET, "data"),
        Input(ids.DATA_VERSION, "data"),
    )
    def show_conversation(ticket, _version):
        if ticket is None:
            raise PreventUpdate  # closed: keep the old content while it slides out
        try:
            with reads.connect() as conn:
                found = ticket_detail(
                    conn,
                    ticket,
                    personal_data=personal(),
                    timezone=settings.timezone,
                )
        except db_reads.Busy:
            return conversation.title(ticket), conversation.unreadable(db_reads.BUSY)
        except SQLAlchemyError as exc:
            reason = user_message(exc, settings.database_url)
            return conversation.title(ticket), conversation.unreadable(reason)
        if found is None:
            return conversation.title(ticket), conversation.not_found(ticket)
        return conversation.title(ticket), conversation.view(*found)

    @app.callback(
        output={
            "version": Output(ids.DATA_VERSION, "data"),
            "checked": Output(ids.CHECKED, "children"),
            "loading": Output(ids.LOAD_STATUS, "children"),
            "interval": Output(ids.REFRESH_INTERVAL, "interval"),
            "disabled": Output(ids.REFRESH_INTERVAL, "disabled"),
        },
        inputs={"tick": Input(ids.REFRESH_INTERVAL, "n_intervals")},
        state={"known": State(ids.DATA_VERSION, "data")},
    )
    def poll(tick, known):
        meta = store.meta  # once: the fingerprint and the sums of one version
        fingerprint, sums = meta.fingerprint, meta.sums
        lagging = refresh.behind(fingerprint, known, sums)
        if lagging:
            loader.poke()  # another worker has newer data: catch up soon
        token = refresh.token(fingerprint, loader.error, sums)
        move = not refresh.same(token, known) and not lagging
        loaded = fingerprint is not None
        progress = store.progress
        timer = layout.poll_timer(settings.refresh_seconds, loaded)
        return {
            "version": token if move else no_update,
            "checked": refresh.checked_text(store.checked_at, store.reconciled_at),
            "loading": None
            if loaded
            else components.load_status(progress.step, progress.done, progress.total),
            "interval": timer["interval"],
            "disabled": timer["disabled"],
        }

    @app.callback(
        Output(ids.TICKETS_DOWNLOAD_BUTTON, "href"),
        Input(ids.APPLIED_FILTERS, "data"),
        Input(ids.TICKETS_SEARCH, "value"),
        Input(ids.TICKETS_GRID, "getRowsRequest"),
        Input(ids.QUEUE_AGE, "data"),
    )
    def tickets_link(applied, search, request, picked):
        filters = urlstate.from_values(applied).filters
        sort_model = request.get("sortModel") if isinstance(request, dict) else None
        return downloads.tickets_href(
            filters, search, sort_model, grid_requests.age(picked)
        )

    @app.callback(
        Output(ids.report_download_button(ALL), "href"),
        Input(ids.APPLIED_FILTERS, "data"),
    )
    def report_links(applied):
        filters = urlstate.from_values(applied).filters
        names = [str(output["id"].get("name")) for output in ctx.outputs_list]
        return [downloads.report_href(name, filters) for name in names]
