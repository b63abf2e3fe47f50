"""One pure builder per chart: (report DataFrame, Scope) -> go.Figure.

Every builder has an explicit empty-data branch that returns a figure holding only a
sentence such as "No resolved tickets for Bug report in Mar 2025". Points that drill
down carry the filter value they stand for as the first item of their customdata
(agent id, 'YYYY-MM' month or category); `clicked()` reads it back from clickData.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.filters import Filters
from dashboard.reports import WEEKDAYS, month_name


@dataclass(frozen=True)
class Scope:
    """What the charts are filtered to, in words for their empty states."""

    filters: Filters = field(default_factory=Filters)
    agent_label: str | None = None  # the chosen agent's name, e.g. "Ann Lee (#3)"

    def nothing(self, noun: str) -> str:
        """'No resolved tickets for Bug report handled by Ann Lee in Mar 2025'."""
        f = self.filters
        if f.status and noun == "tickets":
            noun = f"{f.status} tickets"
        parts = [f"No {noun}"]
        if f.status and f.status not in noun:
            parts.append(f"among {f.status} tickets")
        if f.category:
            parts.append(f"for {f.category}")
        if f.agent is not None:
            parts.append(f"handled by {self.agent_label or f'agent #{f.agent}'}")
        if f.month:
            parts.append(f"in {month_name(f.month)}")
        return " ".join(parts)


ALL = Scope()  # no filters


def _figure(height: int = theme.CHART_HEIGHT, **layout) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=theme.TEMPLATE, height=height, **layout)
    return fig


def empty(message: str, height: int = theme.CHART_HEIGHT) -> go.Figure:
    """A figure with no axes and one centred sentence: the empty state."""
    fig = _figure(height, meta={"empty": True})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 14, "color": theme.MUTED},
    )
    return fig


def is_empty(fig: go.Figure) -> bool:
    return bool(fig.layout.meta and fig.layout.meta.get("empty"))


def _hint(field: str) -> str:
    """The end of a drill-down point's hover text: what a click does."""
    return (
        f"<br><span style='color:{theme.MUTED};font-size:11px'>"
        f"Click to show only this {field}</span><extra></extra>"
    )


def _no_rows(df: pd.DataFrame | None, column: str | None = None) -> bool:
    if df is None or df.empty:
        return True
    return column is not None and not (df[column].fillna(0) > 0).any()


def _hours_text(values) -> list[str]:
    return [theme.hours(v) for v in values]


def _month_starts(df: pd.DataFrame) -> list[str]:
    """'2025-03' -> '2025-03-01': months on a date axis, which thins its labels
    ('Jan 2025', 'Mar', ...) to the room there is, down to phone width."""
    return [f"{m}-01" for m in df["month"]]


MONTHLY = {"xperiod": "M1", "xperiodalignment": "middle", "xhoverformat": "%b %Y"}


def _month_axis(fig: go.Figure, title: str) -> None:
    fig.update_xaxes(type="date", ticklabelmode="period", title_text=title)


# ---------------------------------------------------------------- spec's reports


def resolution_time(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Min, median, average, 90th percentile and max resolution time, as bars."""
    if _no_rows(df, "n"):
        return empty(scope.nothing("resolved tickets"))
    row = df.iloc[0]
    stats = (
        ("Fastest", "min_resolution_time", theme.TEAL),
        ("Median", "median_resolution_time", theme.MEDIAN),
        ("Average", "avg_resolution_time", theme.AVERAGE),
        ("90th<br>percentile", "p90_resolution_time", theme.P90),
        ("Slowest", "max_resolution_time", theme.RED),
    )
    values = [float(row[col]) for _, col, _ in stats]
    text = _hours_text(values)
    names = [label.replace("<br>", " ") for label, _, _ in stats]
    fig = _figure()
    fig.add_bar(
        x=[label for label, _, _ in stats],
        y=values,
        marker_color=[color for _, _, color in stats],
        text=text,
        textposition="outside",
        cliponaxis=False,
        customdata=[[t, n] for t, n in zip(text, names, strict=True)],
        hovertemplate="%{customdata[1]}: %{y:.1f} hours (%{customdata[0]})"
        "<extra></extra>",
    )
    fig.update_layout(showlegend=False, margin={"t": 24})
    fig.update_xaxes(tickangle=0)
    fig.update_yaxes(title_text="Hours to resolve", rangemode="tozero")
    fig.add_annotation(
        text=f"{theme.plural(int(row['n']), 'resolved ticket')}",
        x=1,
        y=1.06,
        xref="paper",
        yref="paper",
        xanchor="right",
        showarrow=False,
        font={"size": 12, "color": theme.MUTED},
    )
    return fig


def agents_per_ticket(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Share of resolved tickets by how many agents worked on them, as a donut."""
    if _no_rows(df, "number_of_tickets"):
        return empty(scope.nothing("resolved tickets"))
    n_agents = [int(n) for n in df["number_of_agents"]]
    labels = [theme.plural(n, "agent") for n in n_agents]
    total = int(df["number_of_tickets"].sum())
    fig = _figure()
    fig.add_pie(
        labels=labels,
        values=df["number_of_tickets"].astype(int).tolist(),
        hole=0.6,
        domain={"y": [0.12, 1]},
        sort=False,
        direction="clockwise",
        marker={"colors": list(theme.COLORWAY), "line": {"color": "white", "width": 2}},
        textinfo="percent",
        textposition="inside",
        insidetextorientation="horizontal",
        hovertemplate="%{label}: %{value} tickets (%{percent})<extra></extra>",
    )
    fig.update_layout(
        legend={
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": 0,
            "yanchor": "bottom",
        },
        uniformtext={"minsize": 10, "mode": "hide"},
        margin={"t": 8, "b": 8},
    )
    fig.add_annotation(
        text=f"<b>{total:,}</b><br>resolved",
        x=0.5,
        y=0.56,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 14, "color": theme.BODY},
    )
    return fig


def agent_labels(df: pd.DataFrame) -> list[str]:
    """Agent names, with '(#id)' added where two agents share a name."""
    names = df["agent"].tolist()
    seen = pd.Series(names).value_counts()
    return [
        f"{name} (#{int(agent_id)})" if seen[name] > 1 else name
        for name, agent_id in zip(names, df["agent_id"], strict=True)
    ]


def _agent_height(n: int) -> int:
    return max(theme.CHART_HEIGHT, 20 * n + 80)


def tickets_per_agent(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Tickets each agent worked on, most first, as horizontal bars (click: agent)."""
    if _no_rows(df, "number_of_tickets"):
        return empty(scope.nothing("tickets"))
    labels = agent_labels(df)
    fig = _figure(_agent_height(len(df)))
    fig.add_bar(
        y=labels,
        x=df["number_of_tickets"].astype(int).tolist(),
        orientation="h",
        marker_color=theme.BLUE,
        text=df["number_of_tickets"].astype(int).tolist(),
        textposition="outside",
        cliponaxis=False,
        customdata=[[int(a)] for a in df["agent_id"]],
        hovertemplate="%{y}: %{x} tickets" + _hint("agent"),
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, type="category")
    fig.update_xaxes(title_text="Tickets worked on", showgrid=True, showline=False)
    fig.update_layout(showlegend=False, bargap=0.3)
    return fig


def resolution_time_by_month(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Median, average and 90th percentile per month over the min-max range."""
    if _no_rows(df, "n"):
        return empty(scope.nothing("resolved tickets"))
    return _spread_by_month(df, "resolution_time", "Hours to resolve", "resolved")


def _spread_by_month(
    df: pd.DataFrame, suffix: str, axis_title: str, noun: str
) -> go.Figure:
    """Lines over months: a min-max band, then p90, average and median."""
    months = _month_starts(df)
    fig = _figure(hovermode="x unified")
    base = [[m, int(n)] for m, n in zip(df["month"], df["n"], strict=True)]

    def points(col):
        values = df[col].astype(float).tolist()
        return values, [b + [theme.hours(v)] for b, v in zip(base, values, strict=True)]

    lo, lo_data = points(f"min_{suffix}")
    hi, hi_data = points(f"max_{suffix}")
    fig.add_scatter(
        x=months,
        y=lo,
        name="Fastest",
        mode="lines",
        **MONTHLY,
        line={"width": 0},
        customdata=lo_data,
        hovertemplate="Fastest: %{customdata[2]}<extra></extra>",
        showlegend=False,
    )
    fig.add_scatter(
        x=months,
        y=hi,
        name="Fastest to slowest",
        mode="lines",
        **MONTHLY,
        line={"width": 0.5, "color": theme.RANGE_EDGE},
        fill="tonexty",
        fillcolor=theme.RANGE,
        customdata=hi_data,
        hovertemplate="Slowest: %{customdata[2]}<extra></extra>",
    )
    for label, col, color, dash in (
        ("90th percentile", f"p90_{suffix}", theme.P90, "dot"),
        ("Average", f"avg_{suffix}", theme.AVERAGE, "solid"),
        ("Median", f"median_{suffix}", theme.MEDIAN, "solid"),
    ):
        values, data = points(col)
        hover = f"{label}: %{{y:.1f}} hours (%{{customdata[2]}})"
        if label == "Median":  # the last line of the shared hover box
            hover += f"<br>%{{customdata[1]}} {noun} tickets" + _hint("month")
        else:
            hover += "<extra></extra>"
        fig.add_scatter(
            x=months,
            y=values,
            name=label,
            mode="lines+markers",
            **MONTHLY,
            line={
                "color": color,
                "width": 2.5 if label == "Median" else 2,
                "dash": dash,
            },
            marker={"size": 7 if label == "Median" else 5},
            customdata=data,
            hovertemplate=hover,
        )
    fig.update_yaxes(title_text=axis_title, rangemode="tozero")
    _month_axis(fig, "Month opened")
    fig.update_layout(margin={"t": 28})
    return fig


def agent_ratings(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Each agent's lowest-to-highest rating range with the average as a dot."""
    if _no_rows(df, "n"):
        return empty(scope.nothing("rated tickets"))
    labels = agent_labels(df)
    ids = [int(a) for a in df["agent_id"]]
    lo = df["min_rating"].astype(float).tolist()
    hi = df["max_rating"].astype(float).tolist()
    avg = df["avg_rating"].astype(float).tolist()
    n = df["n"].astype(int).tolist()
    data = [
        [a, k, theme.rating(m), int(low), int(high)]
        for a, k, m, low, high in zip(ids, n, avg, lo, hi, strict=True)
    ]
    fig = _figure(_agent_height(len(df)))
    fig.add_bar(
        y=labels,
        x=[h - low for low, h in zip(lo, hi, strict=True)],
        base=lo,
        orientation="h",
        name="Lowest to highest",
        marker={"color": theme.RANGE, "line": {"color": theme.RANGE_EDGE, "width": 1}},
        width=0.5,
        customdata=data,
        hovertemplate=(
            "%{y}: ratings %{customdata[3]} to %{customdata[4]}" + _hint("agent")
        ),
    )
    fig.add_scatter(
        y=labels,
        x=avg,
        mode="markers+text",
        name="Average",
        marker={
            "color": theme.BLUE,
            "size": 10,
            "line": {"color": "white", "width": 1},
        },
        text=[theme.rating(v) for v in avg],
        textposition="middle right",
        textfont={"size": 11, "color": theme.MUTED},
        cliponaxis=False,
        customdata=data,
        hovertemplate=(
            "%{y}: average %{customdata[2]} of 5 over %{customdata[1]} rated tickets"
            + _hint("agent")
        ),
    )
    # Best first, top down; a fixed range: markers would pad an automatic one.
    fig.update_yaxes(range=[len(df) - 0.5, -0.5], showgrid=False, type="category")
    fig.update_xaxes(
        title_text="Rating (1 = poor, 5 = excellent)",
        range=[0.8, 5.6],
        tickvals=[1, 2, 3, 4, 5],
        showgrid=True,
        showline=False,
    )
    fig.update_layout(barmode="overlay", margin={"t": 28})
    return fig


# ------------------------------------------------------------------ extra charts


def ticket_volume(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Tickets opened and resolved per month, side by side (click: month)."""
    if _no_rows(df) or not (df["opened"].sum() or df["resolved"].sum()):
        return empty(scope.nothing("tickets"))
    months = _month_starts(df)
    data = [[m] for m in df["month"]]
    fig = _figure(hovermode="x unified")
    for label, col, color in (
        ("Opened", "opened", theme.OPENED),
        ("Resolved", "resolved", theme.RESOLVED),
    ):
        fig.add_bar(
            x=months,
            y=df[col].astype(int).tolist(),
            name=label,
            marker_color=color,
            **MONTHLY,
            customdata=data,
            hovertemplate=f"{label}: %{{y}} tickets"
            + (_hint("month") if label == "Resolved" else "<extra></extra>"),
        )
    fig.update_yaxes(title_text="Tickets", rangemode="tozero")
    _month_axis(fig, "Month")
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.08, margin={"t": 28})
    return fig


def first_response_time(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Median, average and 90th percentile first response per month."""
    if _no_rows(df, "n"):
        return empty(scope.nothing("answered tickets"))
    return _spread_by_month(
        df, "first_response", "Hours to first agent reply", "answered"
    )


def categories(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Tickets per category split into resolved and open (click: category)."""
    if _no_rows(df, "tickets"):
        return empty(scope.nothing("tickets"))
    df = df.sort_values("tickets", ascending=True, kind="stable")
    cats = df["ticket_category"].tolist()
    tickets = df["tickets"].astype(int)
    open_ = df["open_tickets"].astype(int)
    data = [
        [c, theme.hours(r), theme.rating(a), int(t)]
        for c, r, a, t in zip(
            cats, df["avg_resolution_time"], df["avg_rating"], tickets, strict=True
        )
    ]
    fig = _figure()
    for label, values, color in (
        ("Resolved", (tickets - open_).tolist(), theme.RESOLVED),
        ("Open", open_.tolist(), theme.OPEN),
    ):
        fig.add_bar(
            y=cats,
            x=values,
            name=label,
            orientation="h",
            marker_color=color,
            customdata=data,
            hovertemplate=(
                f"%{{y}}: %{{x}} {label.lower()} of %{{customdata[3]}} tickets"
                "<br>Average resolution %{customdata[1]}, "
                "average rating %{customdata[2]}" + _hint("category")
            ),
        )
    fig.update_layout(
        barmode="stack", bargap=0.35, margin={"t": 28}, legend_traceorder="normal"
    )
    fig.update_xaxes(title_text="Tickets", showgrid=True, showline=False)
    fig.update_yaxes(showgrid=False, type="category")
    return fig


def rating_distribution(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Rated tickets per rating 1-5 with CSAT (share rated 4 or 5) written on top."""
    if _no_rows(df, "tickets"):
        return empty(scope.nothing("rated tickets"))
    tickets = df["tickets"].astype(int).tolist()
    shares = df["share"].astype(float).tolist()
    fig = _figure()
    fig.add_bar(
        x=[f"{int(r)} ★" for r in df["rating"]],
        y=tickets,
        marker_color=list(theme.RATING_COLORS),
        text=[theme.share(s) for s in shares],
        textposition="outside",
        cliponaxis=False,
        customdata=[[theme.share(s)] for s in shares],
        hovertemplate="Rated %{x}: %{y} tickets (%{customdata[0]})<extra></extra>",
    )
    csat = df["csat"].iloc[0]
    fig.add_annotation(
        text=(
            f"CSAT <b>{theme.share(csat)}</b>"
            f"<span style='color:{theme.MUTED}'> rated 4 or 5, of "
            f"{theme.plural(sum(tickets), 'rated ticket')}</span>"
        ),
        x=0,
        y=1.1,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 14, "color": theme.GREEN},
    )
    fig.update_yaxes(title_text="Rated tickets", rangemode="tozero")
    fig.update_xaxes(title_text="Customer rating", type="category")
    fig.update_layout(showlegend=False, margin={"t": 40})
    return fig


def busiest_hours(df: pd.DataFrame, scope: Scope = ALL) -> go.Figure:
    """Messages per weekday (rows, Monday on top) and hour of day (columns)."""
    if _no_rows(df, "number_of_messages"):
        return empty(scope.nothing("messages"))
    grid = (
        df.pivot_table(
            index="weekday", columns="hour", values="number_of_messages", aggfunc="sum"
        )
        .reindex(index=range(7), columns=range(24))
        .fillna(0)
        .astype(int)
    )
    hours = [f"{h:02d}:00" for h in range(24)]
    spans = [[f"{h:02d}:00–{(h + 1) % 24:02d}:00" for h in range(24)] for _ in range(7)]
    fig = _figure(300)
    fig.add_heatmap(
        z=grid.values.tolist(),
        x=hours,
        y=list(WEEKDAYS),
        colorscale=[list(stop) for stop in theme.HEAT_SCALE],
        xgap=2,
        ygap=2,
        customdata=spans,
        colorbar={
            "title": {"text": "Messages", "side": "right", "font": {"size": 12}},
            "thickness": 12,
            "outlinewidth": 0,
            "tickfont": {"size": 11, "color": theme.MUTED},
        },
        hovertemplate="%{y} %{customdata}: %{z} messages<extra></extra>",
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, title_text="Weekday")
    fig.update_xaxes(
        showgrid=False, showline=False, title_text="Hour of day", tickangle=0, dtick=2
    )
    return fig


# ----------------------------------------------------------------- chart registry


@dataclass(frozen=True)
class Chart:
    """A chart card: its report (also its id), title, builder and drill-down field."""

    report: str
    title: str
    build: Callable[[pd.DataFrame, Scope], go.Figure]
    drill: str | None = None  # the Filters field a click on a point sets


CHARTS: tuple[Chart, ...] = (
    Chart("ticket-volume", "Tickets opened and resolved", ticket_volume, "month"),
    Chart(
        "resolution-time-by-month",
        "Resolution time per month",
        resolution_time_by_month,
        "month",
    ),
    Chart("resolution-time", "How long resolution takes", resolution_time),
    Chart(
        "first-response-time",
        "First response time per month",
        first_response_time,
        "month",
    ),
    Chart("agents-per-ticket", "Agents involved per ticket", agents_per_ticket),
    Chart("categories", "Tickets by category", categories, "category"),
    Chart("rating-distribution", "Ratings and CSAT", rating_distribution),
    Chart("tickets-per-agent", "Tickets per agent", tickets_per_agent, "agent"),
    Chart("agent-ratings", "Customer ratings per agent", agent_ratings, "agent"),
    Chart("busiest-hours", "When messages arrive", busiest_hours),
)
CHART_BY_REPORT: Mapping[str, Chart] = {c.report: c for c in CHARTS}


def clicked(click_data) -> str | int | None:
    """The filter value a clicked point stands for (its first customdata item)."""
    try:
        custom = click_data["points"][0]["customdata"]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(custom, list | tuple):
        custom = custom[0] if custom else None
    return custom if isinstance(custom, str | int) else None
