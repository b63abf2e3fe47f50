"""The agent leaderboard: every agent in one sortable, searchable table.

Rows come from the `agent-leaderboard` report, run on every agent for the other
filters (a chosen agent is highlighted among the team, never shown alone). Agents are
ranked by average rating only once they have `min_ratings` rated tickets: below
that, one happy customer would put an agent on top, so they are listed greyed out
and unranked. At 1,000 agents the table pages and the search box finds anyone.
"""

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.ui import grid_js, ids, theme

PAGE_SIZE = 15


def rows(df: pd.DataFrame, min_ratings: int, chosen: int | None) -> list[dict]:
    """Leaderboard rows: the report's columns, a rank by average rating for the
    agents with enough ratings (ties: more ratings first), and flags for greying
    out and highlighting."""
    if df is None or df.empty:
        return []
    ranked = df[df["rated"] >= min_ratings].sort_values(
        ["avg_rating", "rated", "agent_id"], ascending=[False, False, True]
    )
    rank = {int(a): i for i, a in enumerate(ranked["agent_id"], start=1)}
    out = []
    for record in df.astype(object).to_dict("records"):
        agent = int(record["agent_id"])
        row = {k: (None if pd.isna(v) else v) for k, v in record.items()}
        row.update(
            agent_id=agent,
            rank=rank.get(agent),
            ranked=agent in rank,
            chosen=agent == chosen,
        )
        out.append(row)
    return out


def _col(field: str, header: str, **extra) -> dict:
    return {"field": field, "headerName": header, "headerTooltip": header, **extra}


def column_defs(min_ratings: int) -> list[dict]:
    number = {"type": "numericColumn"}
    return [
        _col(
            "rank",
            "Rating rank",
            width=76,
            headerTooltip=f"Rank by average rating (agents with {min_ratings} or "
            "more rated tickets)",
            valueFormatter={"function": grid_js.MISSING_OR + "params.value"},
            **number,
        ),
        _col("agent", "Agent", flex=1, minWidth=164, tooltipField="agent"),
        _col("tickets", "Tickets", width=92, **number),
        _col("resolved_tickets", "Resolved", width=96, **number),
        _col(
            "median_first_response",
            f"Median first response ({theme.TABLE_HOURS})",
            width=120,
            headerTooltip="Hours, on the tickets where this agent sent the first reply",
            valueFormatter=grid_js.decimal_formatter(),
            **number,
        ),
        _col(
            "median_resolution_time",
            f"Median resolution ({theme.TABLE_HOURS})",
            width=112,
            headerTooltip="Hours, on the resolved tickets this agent worked on",
            valueFormatter=grid_js.decimal_formatter(),
            **number,
        ),
        _col(
            "replies_per_ticket",
            "Replies per ticket",
            width=104,
            valueFormatter=grid_js.decimal_formatter(1),
            **number,
        ),
        _col("rated", "Ratings", width=90, **number),
        _col(
            "avg_rating",
            "Avg rating",
            width=98,
            valueFormatter=grid_js.decimal_formatter(),
            **number,
        ),
        _col(
            "csat", "CSAT", width=84, valueFormatter=grid_js.PERCENT_FORMATTER, **number
        ),
    ]


def card(min_ratings: int) -> dbc.Card:
    """The card: title, search box, the table (rows from update_view)."""
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2("Agent leaderboard", className="chart-title"),
                    html.Div(
                        [
                            dbc.Label(
                                "Search agents",
                                html_for=ids.LEADERBOARD_SEARCH,
                                class_name="visually-hidden",
                            ),
                            dbc.Input(
                                id=ids.LEADERBOARD_SEARCH,
                                type="search",
                                placeholder="Search agents",
                                debounce=250,
                                maxlength=100,
                                autocomplete="off",
                                size="sm",
                                class_name="leaderboard-search",
                            ),
                        ],
                        className="d-flex gap-2",
                    ),
                ],
                class_name="chart-header flex-wrap",
            ),
            dbc.CardBody(
                [
                    html.P(
                        f"Every agent on the tickets they worked on, for these "
                        f"filters, most tickets first. The rating rank orders the "
                        f"agents by average rating once they have {min_ratings} "
                        "rated tickets; greyed out until then. Click a column title "
                        "to sort.",
                        className="chart-explanation",
                    ),
                    dag.AgGrid(
                        id=ids.LEADERBOARD_GRID,
                        columnDefs=column_defs(min_ratings),
                        rowData=[],
                        defaultColDef={
                            "sortable": True,
                            "resizable": True,
                            "suppressHeaderMenuButton": True,
                            "suppressMovable": True,
                            "sortingOrder": ["desc", "asc", None],
                            "wrapHeaderText": True,
                            "autoHeaderHeight": True,
                        },
                        getRowId="params.data.agent_id + ''",
                        rowClassRules={
                            "agent-unranked": "!params.data.ranked",
                            "agent-chosen": "params.data.chosen",
                        },
                        dashGridOptions={
                            "theme": {"function": grid_js.THEME},
                            "pagination": True,
                            "paginationPageSize": PAGE_SIZE,
                            "paginationPageSizeSelector": False,
                            "suppressCellFocus": True,
                            "rowHeight": 36,
                            "domLayout": "autoHeight",
                            "tooltipShowDelay": 400,
                        },
                        className="leaderboard-grid",
                    ),
                ],
                class_name="pt-2",
            ),
        ],
        id=ids.LEADERBOARD_CARD,
        class_name="chart-card shadow-sm border-0 mb-3",
    )
