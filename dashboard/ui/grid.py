"""The tickets table: an AG Grid on the infinite row model, paged by the database.

Pure builders: the grid component, its columns and their layouts by width, and one
page of `tickets.tickets_page` -> the grid's rows. The JavaScript the grid runs is
grid_js.py's; reading the grid's requests, web/grid_requests.py's; the callbacks
that move the pages are in web/callbacks/drilldown.py. Nothing here reads the
database.
"""

import math

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.data.reports import AGE_BUCKETS
from dashboard.data.tickets import PERSONAL
from dashboard.data.values import MAX_SEARCH_TEXT
from dashboard.ui import grid_js, ids, theme

PAGE_SIZE = 20  # rows per page, and per request to the server


def _col(field: str, header: str, **extra) -> dict:
    return {"field": field, "headerName": header, "headerTooltip": header, **extra}


def column_defs(personal_data: bool) -> list[dict]:
    """The table's columns in the query's order; email and phone only when personal
    data may be shown. At 1280 pixels the twelve fit without scrolling: the name is
    given its room first, the email is cut (its tooltip has it whole)."""
    number = {"type": "numericColumn"}
    cols = [
        _col(
            "ticket_id",
            "Ticket",
            width=64,
            valueFormatter={
                "function": "params.value == null ? '' : '#' + params.value"
            },
            cellClass="ticket-id",
        ),
        _col("opened", "Opened", width=134, cellClass="cell-wrap"),
        _col(
            "customer",
            "Customer",
            width=146,
            tooltipField="customer",
            cellClass="cell-wrap",
        ),
        _col(
            "customer_email",
            "Email",
            flex=1,
            minWidth=104,
            tooltipField="customer_email",
        ),
        _col("customer_phone", "Phone", width=100),
        _col(
            "ticket_category",
            "Category",
            width=140,
            tooltipField="ticket_category",
            cellClass="cell-wrap",
        ),
        _col(
            "ticket_status",
            "Status",
            width=74,
            cellClassRules={
                "status-open": "params.value === 'open'",
                "status-resolved": "params.value === 'resolved'",
            },
        ),
        _col(
            "agents",
            "Agents",
            flex=1,
            minWidth=110,
            sortable=False,
            tooltipField="agents",
        ),
        _col("n_messages", "Messages", width=84, **number),
        _col(
            "resolution_hours",
            f"Resolution ({theme.TABLE_HOURS})",
            width=90,
            headerTooltip="Resolution time in hours (resolved tickets)",
            valueFormatter=grid_js.decimal_formatter(),
            **number,
        ),
        _col(
            "first_response_hours",
            f"First response ({theme.TABLE_HOURS})",
            width=84,
            headerTooltip="Hours from the first message to the first agent reply",
            valueFormatter=grid_js.decimal_formatter(),
            **number,
        ),
        _col(
            "ticket_rating",
            "Rating",
            width=64,
            valueFormatter={"function": grid_js.MISSING_OR + "params.value + '/5'"},
            **number,
        ),
    ]
    if not personal_data:
        cols = [c for c in cols if c["field"] not in PERSONAL]
    return cols


# ------------------------------------------------------------- narrow screens

# Column layouts by the grid's width: (below this many pixels, widths in display
# order). On phones and tablets the columns a lead scans come first, and the rest
# follow a swipe away; on a phone four of them fit 390 pixels, names and times
# wrapping onto a second line (the cells' padding is smaller there: style.css),
# with the edge of the next column showing.
# Wider grids get column_defs as they are.
NARROW_LAYOUTS = (
    (
        600,
        {
            "ticket_id": 58,
            "customer": 94,
            "ticket_status": 68,
            "opened": 90,
            "ticket_category": 120,
            "agents": 140,
            "n_messages": 80,
            "resolution_hours": 86,
            "first_response_hours": 80,
            "ticket_rating": 60,
            "customer_email": 184,
            "customer_phone": 96,
        },
    ),
    (
        1000,
        {
            "ticket_id": 64,
            "customer": 146,
            "ticket_status": 74,
            "opened": 130,
            "ticket_category": 140,
            "agents": 160,
            "n_messages": 80,
            "resolution_hours": 86,
            "first_response_hours": 80,
            "ticket_rating": 60,
            "customer_email": 184,
            "customer_phone": 96,
        },
    ),
)


def column_layouts(defs: list[dict]) -> list[tuple[int | None, list[dict]]]:
    """(below this grid width or None, AG Grid column state) for each layout, the
    narrowest first: NARROW_LAYOUTS, then `defs` as they are."""
    fields = [c["field"] for c in defs]
    layouts = [
        (
            below,
            [
                {"colId": f, "width": w, "flex": None}
                for f, w in widths.items()
                if f in fields
            ],
        )
        for below, widths in NARROW_LAYOUTS
    ]
    wide = [
        {"colId": c["field"], "flex": c["flex"]}
        if "flex" in c
        else {"colId": c["field"], "width": c["width"], "flex": None}
        for c in defs
    ]
    return [*layouts, (None, wide)]


def tickets_grid(personal_data: bool) -> dag.AgGrid:
    """The grid; its rows arrive page by page through getRowsRequest/Response. Its
    columns take the narrow layout on phones and tablets (grid_js.layout_listener)."""
    defs = column_defs(personal_data)
    listener = grid_js.layout_listener(column_layouts(defs))
    return dag.AgGrid(
        id=ids.TICKETS_GRID,
        columnDefs=defs,
        eventListeners={
            "firstDataRendered": [listener],
            "gridSizeChanged": [listener],
        },
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "suppressHeaderMenuButton": True,
            "suppressMovable": True,
            "sortingOrder": ["desc", "asc", None],
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        rowModelType="infinite",
        getRowId="params.data.ticket_id + ''",
        dashGridOptions={
            "theme": {"function": grid_js.THEME},
            "pagination": True,
            "paginationPageSize": PAGE_SIZE,
            "paginationPageSizeSelector": False,
            "cacheBlockSize": PAGE_SIZE,
            "maxBlocksInCache": 20,
            # dash-ag-grid answers the latest request only: one at a time.
            "maxConcurrentDatasourceRequests": 1,
            "infiniteInitialRowCount": 1,
            "suppressCellFocus": True,
            "suppressNoRowsOverlay": True,  # the card says why (empty_state)
            "rowHeight": 38,
            "domLayout": "autoHeight",
            "tooltipShowDelay": 400,
        },
        className="tickets-grid",
    )


def tickets_card(personal_data: bool) -> dbc.Card:
    """The card below the charts: title and count, search, CSV button, the grid."""
    searched = (
        "customer name, email or #ticket"
        if personal_data
        else ("customer name or #ticket")
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Div(
                        [
                            html.H2("Tickets", className="chart-title"),
                            html.Span(id=ids.TICKETS_COUNT, className="tickets-count"),
                        ],
                        className="d-flex align-items-baseline gap-2",
                    ),
                    html.Div(
                        [
                            dbc.Label(
                                "Search tickets",
                                html_for=ids.TICKETS_SEARCH,
                                class_name="visually-hidden",
                            ),
                            dbc.Input(
                                id=ids.TICKETS_SEARCH,
                                type="search",
                                placeholder=f"Search {searched}",
                                debounce=350,
                                maxlength=MAX_SEARCH_TEXT,
                                autocomplete="off",
                                size="sm",
                                class_name="tickets-search",
                            ),
                            dbc.Button(
                                "Download CSV",
                                id=ids.TICKETS_DOWNLOAD_BUTTON,
                                href="",  # set by a callback (downloads.py)
                                external_link=True,
                                download="",
                                color="secondary",
                                outline=True,
                                size="sm",
                                class_name="text-nowrap",
                                title="All tickets matching the filters and the "
                                "search, in the table's order",
                            ),
                        ],
                        className="d-flex gap-2 tickets-tools",
                    ),
                ],
                class_name="chart-header tickets-header flex-wrap",
            ),
            dbc.CardBody(
                [
                    html.P(
                        [
                            "Click a ticket to read its conversation. Click a column "
                            "title to sort.",
                            html.Span(
                                " Swipe the table sideways for more columns.",
                                className="more-columns-hint",
                            ),
                        ],
                        className="chart-explanation",
                    ),
                    age_chip(None),
                    html.Div(id=ids.TICKETS_EMPTY),
                    tickets_grid(personal_data),
                ],
                class_name="pt-2",
            ),
        ],
        id=ids.TICKETS_CARD,
        class_name="chart-card shadow-sm border-0 mb-3",
    )


# ------------------------------------------------------------------------ rows


def _value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def rows(df: pd.DataFrame) -> list[dict]:
    """A tickets_page frame as the grid's rows: JSON values, missing ones as None,
    the opening time as 'YYYY-MM-DD HH:MM'."""
    return [
        {col: _value(v) for col, v in record.items()}
        for record in df.astype(object).to_dict("records")
    ]


def age_chip(bucket: int | None) -> html.Div:
    """Above the table while an age is picked: what it lists, and a way back."""
    label = AGE_BUCKETS[bucket][0] if bucket is not None else ""
    return html.Div(
        [
            html.Span(
                f"Open tickets {label} old, oldest first" if label else "",
                className="me-2",
            ),
            dbc.Button(
                "Show all tickets",
                id=ids.TICKETS_AGE_CLEAR,
                color="link",
                size="sm",
                class_name="p-0 align-baseline",
            ),
        ],
        id=ids.TICKETS_AGE,
        className="tickets-age small mb-2" + ("" if label else " d-none"),
    )


def empty_state(search: str, filtered: bool) -> html.Div:
    """What the table says when nothing matches."""
    what = "No tickets match"
    if filtered and search:
        text = f"{what} these filters and the search “{search}”."
    elif search:
        text = f"{what} the search “{search}”."
    elif filtered:
        text = f"{what} these filters."
    else:
        text = "There are no tickets yet."
    return html.Div(text, className="tickets-empty")
