"""The page, assembled from components. `page()` is called on every page load (Dash's
layout-as-a-function), so the dropdowns offer the months and agents there are now."""

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ui import components, grid, ids, leaderboard
from dashboard.ui.charts import CHARTS, QUEUE

# How wide each chart card is per screen size; phones always get the full width.
WIDTHS = {
    "ticket-volume": {"lg": 6},
    "resolution-time-by-month": {"lg": 6},
    "resolution-time": {"md": 6, "xl": 4},
    "first-response-time": {"md": 6, "xl": 4},
    "agents-per-ticket": {"md": 12, "xl": 4},
    "categories": {"lg": 6},
    "rating-distribution": {"lg": 6},
    "tickets-per-agent": {"lg": 6},
    "agent-ratings": {"lg": 6},
    "busiest-hours": {"lg": 12},
}


# Charts of resolved tickets only: hidden while the status filter says open, where
# the queue card says what there is to say.
RESOLVED_ONLY = {
    "resolution-time-by-month",
    "resolution-time",
    "agents-per-ticket",
    "rating-distribution",
    "agent-ratings",
}


def charts() -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                components.chart_card(chart),
                xs=12,
                **WIDTHS[chart.report],
                class_name="resolved-only" if chart.report in RESOLVED_ONLY else "",
            )
            for chart in CHARTS
        ],
        id=ids.CHARTS,
        class_name="g-3 mb-3",
    )


def charts_class(status: str | None) -> str:
    """The charts row's class: 'only-open' hides the RESOLVED_ONLY cards."""
    return "g-3 mb-3" + (" only-open" if status == "open" else "")


def conversation_panel() -> dbc.Offcanvas:
    """The side panel a ticket's conversation opens in (web/callbacks/drilldown.py)."""
    return dbc.Offcanvas(
        dbc.Spinner(
            html.Div(id=ids.CONVERSATION_BODY),
            color="primary",
            delay_show=300,
            spinner_class_name="conversation-spinner",
        ),
        id=ids.CONVERSATION,
        title="Ticket",
        placement="end",
        is_open=False,
        scrollable=False,
        class_name="conversation-panel",
    )


LOADING_POLL_MS = 1000  # how often a page asks for progress while the data loads


def poll_timer(refresh_seconds: int, loaded: bool) -> dict:
    """The refresh timer's settings: every second while the data loads (for the
    progress), then every refresh interval (off at 0 seconds)."""
    if not loaded:
        return {"interval": LOADING_POLL_MS, "disabled": False}
    return {
        "interval": max(refresh_seconds, 1) * 1000,
        "disabled": refresh_seconds <= 0,
    }


def auto_refresh(refresh_seconds: int, version: dict | None, loaded: bool) -> list:
    """The refresh timer and the token of the data shown."""
    return [
        dcc.Interval(id=ids.REFRESH_INTERVAL, **poll_timer(refresh_seconds, loaded)),
        dcc.Store(id=ids.DATA_VERSION, data=version),
    ]


def page(
    months=(),
    agents=(),
    db_alert=None,
    loading=None,
    freshness: str = "",
    *,
    personal_data: bool = True,
    user: tuple[str, str] | None = None,
    refresh_seconds: int = 0,
    version: dict | None = None,
    min_ratings: int,
) -> html.Div:
    """The whole page; values arrive through the callbacks (see web/callbacks/)."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.APPLIED_FILTERS),
            dcc.Store(id=ids.OPEN_TICKET),
            *auto_refresh(refresh_seconds, version, loading is None),
            components.navbar(freshness, user),
            dbc.Container(
                [
                    html.Div(db_alert, id=ids.DB_ALERT),
                    html.Div(loading, id=ids.LOAD_STATUS),
                    html.Div(id=ids.URL_NOTICES),
                    html.Div(id=ids.MONTH_NOTE),
                    components.filter_bar(months, agents),
                    components.kpi_row(),
                    components.queue_card(QUEUE),
                    charts(),
                    leaderboard.card(min_ratings),
                    dcc.Store(id=ids.QUEUE_AGE),
                    grid.tickets_card(personal_data),
                    conversation_panel(),
                ],
                fluid=True,
                class_name="px-3 px-lg-4 pb-4",
            ),
        ],
        className="app",
    )
