"""register_callbacks(app, ...): the page's two main callbacks, kept thin.

1. `sync_filters` keeps the URL query string, the four dropdowns and the applied
   filters (ids.APPLIED_FILTERS, kept in the page) in step. The URL drives on page
   load and on the back/forward buttons; a dropdown, "Reset all" or a click on a
   chart drives otherwise and pushes a new URL (a history entry). Its logic is the
   pure `next_view`. The open conversation (`&ticket=`) is part of the URL too: a
   click on a ticket row opens it, closing the panel removes it, both as history
   entries, so the back button closes and reopens it.
2. `update_view` reads the applied filters, asks the facts store once per report
   (view_data.load) and turns the result into every KPI, chart and alert with the
   pure `render`. It runs again when the auto-refresh (callbacks/drilldown.py)
   finds new data. A worker that is behind the data the page names first gives its
   loader a moment to catch up (never the database itself: requests only read the
   store).

The tickets table, conversation, downloads and auto-refresh are wired in
callbacks/drilldown.py.
"""

from dataclasses import dataclass, replace

from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard.config import Settings
from dashboard.data.filters import Filters
from dashboard.data.formats import DASH, missing
from dashboard.data.values import parse_ticket_id
from dashboard.ui import components, ids, kpis, layout, leaderboard
from dashboard.ui.charts import CHARTS, QUEUE
from dashboard.ui.clicks import clicked
from dashboard.ui.figures import Scope, empty
from dashboard.web import refresh, urlstate, view_data
from dashboard.web import view_cache as views

DRILL_CHARTS = tuple(chart for chart in CHARTS if chart.drill)
NO_DATA = "No data: the database cannot be read"
CATCH_UP_SECONDS = 3  # how long a request waits for a lagging worker's loader


@dataclass(frozen=True)
class View:
    """What sync_filters decided: the filters, and which of the controls to rewrite."""

    parsed: urlstate.Parsed
    set_controls: bool  # write the filters into the dropdowns
    set_url: bool  # write them into the URL (pushes a history entry)


def next_view(
    trigger,
    search,
    values: dict,
    click,
    agents=None,
    ticket: int | None = None,
    text: str = "",
) -> View:
    """The view after `trigger` (a component id; None on page load).

    `values`: the dropdowns' values by field; `click`: (field, clickData) of the
    chart that was clicked, if any; `agents`: the agent ids that exist, if known;
    `ticket`: the ticket a row click opened (trigger: the grid) or that stays open
    (trigger: the conversation panel; None when it was closed); `text`: the tickets
    table's search box, which goes into the link too (`q=`).
    """
    text = urlstate.search_text(text)
    if trigger in (ids.TICKETS_GRID, ids.CONVERSATION):
        parsed = urlstate.from_values(values, agents)
        return View(replace(parsed, ticket=ticket, search=text), False, True)
    if trigger == ids.TICKETS_SEARCH:
        parsed = urlstate.from_values(values, agents)
        return View(replace(parsed, search=text), False, True)
    if trigger == ids.FILTER_RESET:
        return View(urlstate.Parsed(Filters()), True, True)
    if click is not None:
        field, click_data = click
        current = urlstate.from_values(values, agents)
        value = clicked(click_data)
        if value is None:
            return View(replace(current, search=text), True, True)
        parsed = urlstate.replace(current.filters, field, value, agents)
        return View(
            urlstate.Parsed(
                parsed.filters, current.notices + parsed.notices, search=text
            ),
            True,
            True,
        )
    if trigger in ids.FILTER_FIELDS.values():
        parsed = replace(urlstate.from_values(values, agents), search=text)
        return View(parsed, bool(parsed.notices), True)  # clear a refused value
    return View(urlstate.parse(search, agents), True, False)


def _samples(samples, column: str | None):
    """Each month's non-missing values of `column` (ticket_samples), for a test."""
    if samples is None or column is None:
        return None
    return tuple(df[column].dropna().astype(float).tolist() for df in samples)


def render(
    data: view_data.ViewData,
    timezone: str = "UTC",
    min_ratings: int = Settings.min_ratings,
) -> dict:
    """The view of one ViewData: the KPIs and every chart (pure; what view_cache.py
    caches per data version and filters)."""
    f = data.filters
    summary = data.frames.get("summary")
    row = summary.iloc[0] if summary is not None and len(summary) else None
    before = view_data.previous_month(f.month) if f.month else None
    prev = data.previous.iloc[0] if data.previous is not None else None
    scope = Scope(
        f,
        data.choices.agent_label(f.agent),
        period=data.period,
        timezone=timezone,
        min_ratings=min_ratings,
    )
    kpi_values, kpi_exact, kpi_deltas = {}, {}, {}
    for kpi in kpis.KPIS:
        value = None if row is None else row[kpi.name]
        kpi_values[kpi.name] = kpi.fmt(value) if row is not None else DASH
        kpi_exact[kpi.name] = repr(_plain(value))
        kpi_deltas[kpi.name] = (
            components.delta_badge(
                kpis.delta(
                    kpi,
                    value,
                    prev[kpi.name],
                    before,
                    (int(row[kpi.basis]), int(prev[kpi.basis])),
                    _samples(data.samples, kpi.sample),
                )
            )
            if row is not None and prev is not None and before is not None
            else None
        )
    figures = {
        chart.report: (
            chart.build(data.frames[chart.report], scope)
            if chart.report in data.frames
            else empty(NO_DATA)
        )
        for chart in (*CHARTS, QUEUE)
    }
    backlog = data.frames.get("backlog")
    return {
        "descriptions": {c.report: c.describe(data.period) for c in CHARTS},
        "caption": components.kpi_caption(before if prev is not None else None),
        "kpi_values": kpi_values,
        "kpi_exact": kpi_exact,
        "kpi_deltas": kpi_deltas,
        "figures": figures,
        "queue": kpis.queue_values(
            backlog.iloc[0] if backlog is not None and len(backlog) else None
        ),
        "leaderboard": leaderboard.rows(
            data.frames.get("agent-leaderboard"), min_ratings, f.agent
        ),
        "charts_class": layout.charts_class(f.status),
        "month_note": components.month_note(
            f.month, int(row["tickets"]) if row is not None else 0, data.choices.months
        )
        if row is not None
        else None,
    }


def status(store, error: str | None) -> dict:
    """What update_view adds to the view: this worker's database alert and the data's
    freshness."""
    loaded = store.fingerprint is not None
    return {
        "db_alert": components.db_alert(error, stale=loaded),
        "freshness": components.freshness(store.meta.newest_message_at)
        if loaded
        else "No data yet",
    }


def choice_options(choices, filters: Filters, agents: bool) -> dict:
    """The month and agent dropdowns' options, each holding the chosen value even
    without tickets (a link to a month still to come is a valid view); the agents'
    only when `agents`, else no update."""
    return {
        "months": components.month_options(choices.months, filters.month),
        "agents": components.agent_options(choices.agents, filters.agent)
        if agents
        else no_update,
    }


def _plain(value):
    """A number as a plain int or float for the card's data-value; missing: nan."""
    if missing(value):
        return float("nan")
    number = float(value)
    return int(number) if number.is_integer() else number


def catch_up(store, loader, version) -> None:
    """If this worker's store is behind the data `version` names (another worker
    has refreshed already), let the loader refresh, waiting a bounded time."""
    if refresh.behind(store.fingerprint, version, store.meta.sums):
        loader.wait(CATCH_UP_SECONDS)


def register_callbacks(app: Dash, store, loader, view_cache, settings) -> None:
    fields = tuple(ids.FILTER_FIELDS)

    @app.callback(
        output={
            "values": {f: Output(ids.FILTER_FIELDS[f], "value") for f in fields},
            "search": Output(ids.URL, "search"),
            "applied": Output(ids.APPLIED_FILTERS, "data"),
            "notices": Output(ids.URL_NOTICES, "children"),
            "panel": Output(ids.CONVERSATION, "is_open"),
            "ticket": Output(ids.OPEN_TICKET, "data"),
            "months": Output(ids.FILTER_MONTH, "options"),
            "agents": Output(ids.FILTER_AGENT, "options"),
            "text": Output(ids.TICKETS_SEARCH, "value"),
        },
        inputs={
            "search": Input(ids.URL, "search"),
            "version": Input(ids.DATA_VERSION, "data"),
            "values": {f: Input(ids.FILTER_FIELDS[f], "value") for f in fields},
            "reset": Input(ids.FILTER_RESET, "n_clicks"),
            "clicks": {
                c.report: Input(ids.chart(c.report), "clickData") for c in DRILL_CHARTS
            },
            "cell": Input(ids.TICKETS_GRID, "cellClicked"),
            "panel": Input(ids.CONVERSATION, "is_open"),
            "text": Input(ids.TICKETS_SEARCH, "value"),
        },
        state={
            "applied": State(ids.APPLIED_FILTERS, "data"),
            "open_ticket": State(ids.OPEN_TICKET, "data"),
        },
    )
    def sync_filters(
        search, version, values, reset, clicks, cell, panel, text, applied, open_ticket
    ):
        trigger = ctx.triggered_id
        choices = view_data.choices(store)
        if trigger == ids.DATA_VERSION:  # new data: new months or agents, only that
            kept = urlstate.from_values(applied).filters
            return {
                **{key: no_update for key in ctx.outputs_grouping},
                "values": {f: no_update for f in fields},
                **choice_options(choices, kept, agents=True),
            }
        ticket = None
        if trigger == ids.TICKETS_GRID:
            ticket = parse_ticket_id(
                cell.get("rowId") if isinstance(cell, dict) else None
            )
            if ticket is None:
                raise PreventUpdate  # a click on a row still loading
        elif trigger == ids.CONVERSATION and panel:
            raise PreventUpdate  # only this callback opens it
        click = next(
            (
                (c.drill, clicks[c.report])
                for c in DRILL_CHARTS
                if trigger == ids.chart(c.report)
            ),
            None,
        )
        view = next_view(
            trigger, search, values, click, choices.agent_ids, ticket, text
        )
        filters, ticket = view.parsed.filters, view.parsed.ticket
        data = filters.as_dict()
        return {
            "values": {
                f: getattr(filters, f) if view.set_controls else no_update
                for f in fields
            },
            "search": urlstate.to_search(filters, ticket, view.parsed.search)
            if view.set_url
            else no_update,
            "applied": data if data != applied else no_update,
            "notices": components.notices_alert(view.parsed.notices),
            "panel": ticket is not None,
            "ticket": ticket if ticket != open_ticket else no_update,
            "text": view.parsed.search
            if view.set_controls and view.parsed.search != text
            else no_update,
            # With the values, the choices that hold them: a month without tickets
            # stays a valid choice. The agents (1,000 at 1000x) on page load only.
            **(
                choice_options(choices, filters, agents=trigger is None)
                if view.set_controls
                else {"months": no_update, "agents": no_update}
            ),
        }

    @app.callback(
        output={
            "db_alert": Output(ids.DB_ALERT, "children"),
            "freshness": Output(ids.FRESHNESS, "children"),
            "caption": Output(ids.KPI_CAPTION, "children"),
            "kpi_values": {
                k.name: Output(ids.kpi_value(k.name), "children") for k in kpis.KPIS
            },
            "kpi_exact": {
                k.name: Output(ids.kpi_value(k.name), "data-value") for k in kpis.KPIS
            },
            "kpi_deltas": {
                k.name: Output(ids.kpi_delta(k.name), "children") for k in kpis.KPIS
            },
            "figures": {
                c.report: Output(ids.chart(c.report), "figure")
                for c in (*CHARTS, QUEUE)
            },
            "descriptions": {
                c.report: Output(ids.chart_description(c.report), "children")
                for c in CHARTS
            },
            "queue": {
                name: Output(ids.queue_value(name), "children")
                for name, *_ in kpis.QUEUE_NUMBERS
            },
            "leaderboard": Output(ids.LEADERBOARD_GRID, "rowData"),
            "charts_class": Output(ids.CHARTS, "class_name"),
            "month_note": Output(ids.MONTH_NOTE, "children"),
        },
        inputs={
            "applied": Input(ids.APPLIED_FILTERS, "data"),
            "version": Input(ids.DATA_VERSION, "data"),
        },
    )
    def update_view(applied, version):
        filters = urlstate.from_values(applied).filters  # the page's copy: forgeable
        catch_up(store, loader, version)
        meta = store.meta  # once: the fingerprint and the sums of one version
        if meta.fingerprint is None:  # still loading: the empty view
            view = render(view_data.ViewData(filters))
        else:
            sums = None if meta.sums is None else meta.sums.version
            view = views.cached(
                view_cache,
                views.key(meta.fingerprint, filters, sums),
                lambda: render(
                    view_data.load(store, filters),
                    settings.timezone,
                    settings.min_ratings,
                ),
            )
        return {**view, **status(store, loader.error)}
