"""Pure builders of the page's pieces: navbar, filter bar, KPI cards with their change
against the previous month, chart cards and alerts. They take plain values and return
Dash components; nothing here reads the database or registers callbacks. What the
headline numbers are is kpis.py's; which charts there are, charts.py's."""

from collections.abc import Sequence
from datetime import datetime

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.data import formats
from dashboard.data.reports import definition, month_name
from dashboard.data.schema import CATEGORIES, STATUSES
from dashboard.ui import ids
from dashboard.ui.charts import Chart
from dashboard.ui.kpis import KPIS, QUEUE_NUMBERS, Delta, Kpi

PRODUCT = "Support Dashboard"

# ----------------------------------------------------------------------- KPI cards


def delta_badge(d: Delta | None) -> html.Span | None:
    """The change under a KPI value, coloured when it is significant, and under it
    the sample sizes and the test's verdict (None: no month chosen)."""
    if d is None:
        return None
    parts = [html.Span(d.text, className="kpi-delta-change")]
    parts += [  # the sizes, and the verdict on a line of its own
        html.Span(line, className="kpi-delta-detail")
        for line in d.detail.split(" · ")
        if line
    ]
    return html.Span(
        parts, title=d.title, className=f"kpi-delta kpi-delta-{d.tone} {d.class_name}"
    )


def kpi_card(kpi: Kpi) -> dbc.Card:
    """A KPI card whose value and change are filled in by the data callback."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(kpi.label, className="kpi-label", title=kpi.hint),
                html.Div(
                    formats.DASH, id=ids.kpi_value(kpi.name), className="kpi-value"
                ),
                html.Div(id=ids.kpi_delta(kpi.name), className="kpi-delta-line"),
            ],
            class_name="p-3",
        ),
        id=ids.kpi_card(kpi.name),
        class_name="kpi-card h-100 shadow-sm border-0",
    )


def kpi_row() -> html.Div:
    """Nine cards: two per row on phones, three on tablets, one row on wide
    screens."""
    return html.Div(
        [
            html.Div(id=ids.KPI_CAPTION, className="kpi-caption small mb-2"),
            dbc.Row(
                [
                    dbc.Col(kpi_card(k), xs=6, sm=4, xl=True, class_name="kpi-col")
                    for k in KPIS
                ],
                class_name="g-2 g-lg-3",
            ),
        ],
        id=ids.KPI_ROW,
        className="mb-3",
    )


def kpi_caption(previous_month: str | None) -> str:
    if not previous_month:
        return ""
    return f"Change against {month_name(previous_month)}"


# ------------------------------------------------------------------------ queue


def _queue_value(name: str, class_name: str = "queue-value") -> html.Span:
    return html.Span(formats.DASH, id=ids.queue_value(name), className=class_name)


def _queue_tile(name: str, *extra, class_name: str = "queue-tile") -> html.Div:
    label, hint = QUEUE_LABELS[name]
    return html.Div(
        [
            html.Div(label, className="kpi-label", title=hint),
            html.Div(_queue_value(name), className="queue-number"),
            *extra,
        ],
        className=class_name,
    )


def _sign(text: str) -> html.Span:
    return html.Span(text, className="queue-sign", **{"aria-hidden": "true"})


QUEUE_LABELS = {name: (label, hint) for name, label, _fmt, hint in QUEUE_NUMBERS}


def queue_card(chart: Chart) -> dbc.Card:
    """Open tickets now, laid out as the sum they are (open = waiting on an agent +
    waiting on the customer; never answered is a part of waiting on an agent), the
    longest wait beside it, and the open tickets by age (a click on an age lists
    those tickets in the table, oldest first)."""
    never = html.Div(
        [
            "of which ",
            _queue_value("never_answered", "queue-part-value"),
            " never answered",
        ],
        className="queue-part",
        title=QUEUE_LABELS["never_answered"][1],
    )
    tiles = html.Div(
        [
            html.Div(
                [
                    _queue_tile("open_tickets"),
                    _sign("="),
                    _queue_tile("waiting_on_agent", never),
                    _sign("+"),
                    _queue_tile("waiting_on_customer"),
                ],
                className="queue-sum",
            ),
            _queue_tile("oldest_wait_hours", class_name="queue-tile queue-wait"),
        ],
        className="queue-tiles mb-2",
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2("Queue now", className="chart-title"),
                    _card_tools(chart),
                ],
                class_name="chart-header",
            ),
            dbc.CardBody(
                [
                    html.P(
                        "Open tickets for these filters, up to the newest message. "
                        "Click an age to list those tickets, oldest first.",
                        className="chart-explanation",
                    ),
                    tiles,
                    dcc.Graph(
                        id=ids.chart(chart.report),
                        config={"displayModeBar": False},
                        className="chart-graph",
                    ),
                ],
                class_name="pt-2",
            ),
        ],
        id=ids.QUEUE_CARD,
        class_name="chart-card shadow-sm border-0 mb-3",
    )


# --------------------------------------------------------------------- chart cards


def _card_tools(chart: Chart) -> html.Div:
    """A card's CSV download link and its "i" with the report's definition."""
    return html.Div(
        [
            html.A(
                "CSV",
                id=ids.report_download_button(chart.report),
                href="",  # set by a callback (downloads.py)
                download="",
                className="card-download",
                title="Download this report's data for the current filters as CSV",
            ),
            html.Span(
                "i",
                className="chart-info",
                title=definition(chart.report),
                **{"aria-label": "How this is computed"},
            ),
        ],
        className="d-flex align-items-center gap-2",
    )


def chart_card(chart: Chart) -> dbc.Card:
    """A card with the chart's title, one line on what is drawn (filled in for the
    period the charts are kept by), the report's definition in its "i", and the
    graph."""
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.H2(chart.title, className="chart-title"), _card_tools(chart)],
                class_name="chart-header",
            ),
            dbc.CardBody(
                [
                    html.P(
                        chart.describe(),
                        id=ids.chart_description(chart.report),
                        className="chart-explanation",
                    ),
                    dcc.Graph(
                        id=ids.chart(chart.report),
                        config={"displayModeBar": False},
                        className="chart-graph",
                    ),
                ],
                class_name="pt-2",
            ),
        ],
        id=ids.chart_card(chart.report),
        class_name=f"chart-card h-100 shadow-sm border-0 drill-{chart.drill or 'none'}",
    )


# -------------------------------------------------------------------- filter bar


def month_options(months: Sequence[str], selected: str | None = None) -> list[dict]:
    """Newest month first, labelled 'Mar 2025'; a chosen month without tickets stays
    selectable so the view it names can be shown (empty)."""
    values = set(months) | ({selected} if selected else set())
    return [{"label": month_name(m), "value": m} for m in sorted(values, reverse=True)]


def agent_options(
    agents: Sequence[tuple[int, str]], selected: int | None = None
) -> list[dict]:
    """Agents by name; a chosen agent not (or not yet) known as 'Agent #7'."""
    options = [{"label": label, "value": agent_id} for agent_id, label in agents]
    if selected is not None and selected not in {a for a, _ in agents}:
        options.append({"label": f"Agent #{selected}", "value": selected})
    return options


CATEGORY_OPTIONS = [{"label": c, "value": c} for c in CATEGORIES]
STATUS_OPTIONS = [{"label": s.capitalize(), "value": s} for s in STATUSES]


def _filter(label: str, component_id: str, options: list, placeholder: str, **kw):
    return dbc.Col(
        [
            dbc.Label(label, html_for=component_id, class_name="filter-label"),
            dcc.Dropdown(
                id=component_id,
                options=options,
                placeholder=placeholder,
                clearable=True,
                searchable=True,
                className="filter-dropdown",
            ),
        ],
        **kw,
    )


def filter_bar(months: Sequence[str], agents: Sequence[tuple[int, str]]) -> dbc.Card:
    """Month, agent, category and status dropdowns, each clearable, and Reset all."""
    return dbc.Card(
        dbc.CardBody(
            dbc.Row(
                [
                    _filter(
                        "Month",
                        ids.FILTER_MONTH,
                        month_options(months),
                        "All months",
                        xs=6,
                        lg=2,
                    ),
                    _filter(
                        "Agent",
                        ids.FILTER_AGENT,
                        agent_options(agents),
                        "All agents",
                        xs=6,
                        lg=3,
                    ),
                    _filter(
                        "Category",
                        ids.FILTER_CATEGORY,
                        CATEGORY_OPTIONS,
                        "All categories",
                        xs=6,
                        lg=3,
                    ),
                    _filter(
                        "Status",
                        ids.FILTER_STATUS,
                        STATUS_OPTIONS,
                        "All statuses",
                        xs=6,
                        lg=2,
                    ),
                    dbc.Col(
                        dbc.Button(
                            "Reset all",
                            id=ids.FILTER_RESET,
                            color="secondary",
                            outline=True,
                            class_name="w-100",
                        ),
                        xs=12,
                        lg=2,
                        class_name="d-flex align-items-end",
                    ),
                ],
                class_name="g-2 g-lg-3",
            ),
            class_name="p-3",
        ),
        class_name="filter-bar shadow-sm border-0 mb-3",
    )


# ------------------------------------------------------------- navbar and alerts


def freshness(newest_message_at: datetime | None) -> str:
    """The navbar's data freshness: the time of the newest message."""
    if newest_message_at is None:
        return "No messages yet"
    t = newest_message_at
    return f"Newest message {t.day} {t:%b %Y, %H:%M}"


def navbar(freshness_text: str = "", user: tuple[str, str] | None = None) -> dbc.Navbar:
    """The brand, how fresh the data is, and who is logged in (`user`: name and
    role) with the way out; with logins off there is no one to name."""
    account = (
        html.Div(
            [
                html.Span(
                    [user[0], html.Span(f" · {user[1]}", className="role")],
                    id=ids.USER,
                    title=f"Logged in as {user[0]} ({user[1]})",
                ),
                html.A("Log out", href="/logout", id=ids.LOGOUT, className="logout"),
            ],
            className="navbar-text account small d-flex align-items-center gap-2",
        )
        if user
        else None
    )
    return dbc.Navbar(
        dbc.Container(
            [
                html.A(
                    [
                        html.Img(
                            src="/assets/logo.svg", className="brand-logo", alt=""
                        ),
                        html.Span(PRODUCT, className="brand-name"),
                    ],
                    href="/",
                    className="navbar-brand d-flex align-items-center gap-2",
                ),
                html.Div(
                    [
                        html.Span(freshness_text, id=ids.FRESHNESS),
                        html.Span(id=ids.CHECKED, className="checked"),
                    ],
                    className="navbar-text freshness small ms-auto",
                ),
                account,
            ],
            fluid=True,
            class_name="px-3 px-lg-4",
        ),
        id=ids.NAVBAR,
        color="dark",
        dark=True,
        class_name="app-navbar mb-3",
    )


def db_alert(error: str | None, stale: bool = False) -> dbc.Alert | None:
    """Why the database cannot be read (in a visitor's terms: the host, the user
    and the driver's text are in the server log only); None when it can."""
    if error is None:
        return None
    shown = (
        "The charts show the data last read from it; they update once it is back."
        if stale
        else "The dashboard shows the data as soon as it can read it."
    )
    return dbc.Alert(
        [
            html.Strong(f"{error} "),
            html.Span(f"{shown} "),
            html.Span(
                "If this lasts, tell whoever runs the dashboard: the details are "
                "in its server log.",
                className="text-body-secondary",
            ),
        ],
        color="danger",
        class_name="db-alert mb-3",
    )


STEP_NAMES = {
    "people": "agents and customers",
    "customers": "customers",
    "tickets": "tickets",
    "messages": "messages",
    "facts": "per-ticket facts",
}


def _amount(n: int) -> str:
    """2,100,000 -> '2.1 M'; 37,700 -> '37.7 k'; 377 -> '377'."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} M"
    if n >= 10_000:
        return f"{n / 1_000:.1f} k"
    return f"{n:,}"


def load_status(step: str, done: int, total: int) -> dbc.Alert:
    """The banner while the data loads: what is being read, how far along."""
    what = STEP_NAMES.get(step, "the support data")
    if step == "facts":
        line = "Computing the per-ticket facts…"
    elif step and total:
        line = f"Loading {what}: {_amount(min(done, total))} of {_amount(total)}"
    else:
        line = "Connecting to the support database…"
    share = 100 * min(done, total) / total if step in STEP_NAMES and total else 0
    return dbc.Alert(
        [
            html.Div(
                [
                    dbc.Spinner(size="sm", color="primary", spinner_class_name="me-2"),
                    html.Strong("Loading the support data. "),
                    html.Span(line, className="load-step"),
                ],
                className="d-flex align-items-center",
            ),
            dbc.Progress(
                value=share,
                striped=True,
                animated=True,
                class_name="load-progress mt-2",
            ),
            html.Div(
                "The dashboard fills in by itself when it is ready.",
                className="small text-body-secondary mt-1",
            ),
        ],
        color="light",
        class_name="load-status border shadow-sm mb-3",
    )


def month_note(month: str | None, tickets: int, months: Sequence[str]):
    """For a chosen month without tickets: say so, and which months have some."""
    if not month or tickets:
        return None
    span = (
        f" The data has tickets from {month_name(months[0])} to "
        f"{month_name(months[-1])}."
        if months
        else ""
    )
    return dbc.Alert(
        [html.Strong(f"No tickets in {month_name(month)}."), span],
        color="info",
        class_name="month-note mb-3",
    )


def notices_alert(notices: Sequence[str]) -> dbc.Alert | None:
    """The filter values (from the link or a request) that were ignored, one a line."""
    if not notices:
        return None
    return dbc.Alert(
        [
            html.Strong("Some filter values were ignored."),
            html.Ul([html.Li(n) for n in notices], className="mb-0 mt-1"),
        ],
        color="warning",
        dismissable=True,
        class_name="url-notice mb-3",
    )
