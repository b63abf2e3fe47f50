"""One pure builder per chart: (report DataFrame, Scope) -> a Plotly figure, as a dict.

Figures are plain dicts ({"data": [...], "layout": {...}}), which Dash sends as they
are: no figure object is built or validated on the server, and the shared template
(theme.TEMPLATE) is applied by Plotly in the browser. Every builder has an explicit
empty branch that returns a figure holding only a sentence such as "No resolved
tickets for Bug report in Mar 2025", and says so too when there is too little to
draw a line through. Durations are drawn in the unit their size calls for (minutes,
hours or days, as theme.hours writes them), counts on whole-number axes, and text
from the database is escaped (theme.text) before Plotly could read it as markup.
Points that drill down carry the filter value they stand for as the first item of
their customdata (agent id, 'YYYY-MM' month or category); clicks.clicked() reads it
back. Which chart shows which report is charts.py's registry.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.data.facts import agent_labels
from dashboard.data.filters import Filters
from dashboard.data.reports import AGE_BUCKETS, WEEKDAYS, month_name
from dashboard.ui import theme

Figure = dict
TOP_AGENTS = 15  # agents an agent chart shows; the leaderboard lists every one
MIN_TREND_TICKETS = 3  # tickets a period needs for its percentiles to be drawn
DAY_MS = 86_400_000


@dataclass(frozen=True)
class Scope:
    """What the charts are drawn for: the filters (in words for the empty states),
    the chosen agent's name, the time charts' period ('month' or 'day'), the time
    zone the hours are in, and how many ratings make an agent's average count (the
    page passes Settings.min_ratings; without settings every rated agent counts)."""

    filters: Filters = field(default_factory=Filters)
    agent_label: str | None = None  # the chosen agent's name, e.g. "Ann Lee (#3)"
    period: str = "month"
    timezone: str = "UTC"
    min_ratings: int = 1

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


def figure(data: list, height: int = theme.CHART_HEIGHT, **layout) -> Figure:
    """A figure dict on the shared template."""
    return {
        "data": data,
        "layout": {"template": theme.TEMPLATE, "height": height, **layout},
    }


def _wrapped(text: str, width: int = 44) -> str:
    """`text` in lines of at most `width` characters (Plotly does not wrap)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def empty(message: str, height: int = theme.CHART_HEIGHT) -> Figure:
    """A figure with no axes and one centred sentence: the empty state (wrapped to
    fit the narrowest card)."""
    return figure(
        [],
        height,
        meta={"empty": True},
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": _wrapped(theme.text(message)),
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 14, "color": theme.MUTED},
            }
        ],
    )


def is_empty(fig: Figure) -> bool:
    return bool((fig["layout"].get("meta") or {}).get("empty"))


def _hint(what: str) -> str:
    """The end of a drill-down point's hover text: what a click does."""
    return (
        f"<br><span style='color:{theme.MUTED};font-size:11px'>"
        f"Click to show only this {what}</span><extra></extra>"
    )


def _no_rows(df: pd.DataFrame | None, column: str | None = None) -> bool:
    if df is None or df.empty:
        return True
    return column is not None and not (df[column].fillna(0) > 0).any()


def _count_axis(title: str, largest: float, **extra) -> dict:
    """An axis of whole numbers from 0: never a tick at 0.5."""
    axis = {"title": {"text": title}, "rangemode": "tozero", "tickformat": ",d"}
    if largest <= 6:
        axis.update(dtick=1, tick0=0)
    return {**axis, **extra}


def _note(text: str, **where) -> dict:
    """A small muted annotation above the plot's top right corner."""
    return {
        "text": text,
        "x": 1,
        "y": 1.06,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "right",
        "showarrow": False,
        "font": {"size": 12, "color": theme.MUTED},
        **where,
    }


# ------------------------------------------------------------------ time axes


def _period(df: pd.DataFrame) -> str:
    """'day' or 'month': which period a report over time was kept in."""
    return "day" if "day" in df.columns else "month"


def _x(df: pd.DataFrame) -> list[str]:
    """Periods as dates for a date axis: months at their first day."""
    if _period(df) == "day":
        return df["day"].tolist()
    return [f"{m}-01" for m in df["month"]]


def _time_axis(df: pd.DataFrame, title: str) -> dict:
    """A date axis in days (a month or less of data: one tick a day or a few) or in
    months (labelled 'Jan 2025', then 'Feb', ...)."""
    if _period(df) == "day":
        first, last = pd.Timestamp(df["day"].iloc[0]), pd.Timestamp(df["day"].iloc[-1])
        days = (last - first).days + 1
        step = 1 if days <= 10 else 2 if days <= 20 else 7
        return {
            "type": "date",
            "title": {"text": f"Day {title}"},
            "tick0": df["day"].iloc[0],
            "dtick": step * DAY_MS,
            "tickformat": "%b %-d",
            "hoverformat": "%b %-d, %Y",
        }
    return {
        "type": "date",
        "title": {"text": f"Month {title}"},
        "ticklabelmode": "period",
        "hoverformat": "%b %Y",
    }


def _per_period(df: pd.DataFrame) -> dict:
    """Trace options that centre monthly points and bars on their month."""
    if _period(df) == "day":
        return {}
    return {"xperiod": "M1", "xperiodalignment": "middle"}


def _drill(df: pd.DataFrame) -> list[list[str]]:
    """customdata for points over time: a month drills down; a day gives its
    month (the filter there is)."""
    by = _period(df)
    return [[p[:7]] for p in df[by]] if by == "day" else [[m] for m in df["month"]]


# ---------------------------------------------------------------- spec's reports


def resolution_time(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Fastest, median, average, 90th percentile and slowest resolution, as bars."""
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
    hours = [float(row[col]) for _, col, _ in stats]
    unit, size = theme.duration_unit(max(hours))
    text = [theme.hours(v) for v in hours]
    names = [label.replace("<br>", " ") for label, _, _ in stats]
    return figure(
        [
            {
                "type": "bar",
                "x": [label for label, _, _ in stats],
                "y": [v / size for v in hours],
                "marker": {"color": [color for _, _, color in stats]},
                "text": text,
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [[t, n] for t, n in zip(text, names, strict=True)],
                "hovertemplate": "%{customdata[1]}: %{customdata[0]}<extra></extra>",
            }
        ],
        showlegend=False,
        margin={"t": 24},
        xaxis={"tickangle": 0},
        yaxis={"title": {"text": f"{unit} to resolve"}, "rangemode": "tozero"},
        annotations=[_note(theme.plural(int(row["n"]), "resolved ticket"))],
    )


def agents_per_ticket(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Share of resolved tickets by how many agents worked on them, as a donut."""
    if _no_rows(df, "number_of_tickets"):
        return empty(scope.nothing("resolved tickets"))
    n_agents = [int(n) for n in df["number_of_agents"]]
    total = int(df["number_of_tickets"].sum())
    return figure(
        [
            {
                "type": "pie",
                "labels": [theme.plural(n, "agent") for n in n_agents],
                "values": df["number_of_tickets"].astype(int).tolist(),
                "hole": 0.6,
                "domain": {"y": [0.12, 1]},
                "sort": False,
                "direction": "clockwise",
                "marker": {
                    "colors": list(theme.COLORWAY),
                    "line": {"color": "white", "width": 2},
                },
                # written as every share is (formats.percent): Plotly's own
                # percentages keep three significant digits, 6.49% beside 69%
                "text": [
                    theme.share(n / total) for n in df["number_of_tickets"].astype(int)
                ],
                "textinfo": "text",
                "textposition": "inside",
                "insidetextorientation": "horizontal",
                "hovertemplate": "%{label}: %{value} tickets (%{text})<extra></extra>",
            }
        ],
        legend={
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": 0,
            "yanchor": "bottom",
        },
        uniformtext={"minsize": 10, "mode": "hide"},
        margin={"t": 8, "b": 8},
        annotations=[
            {
                "text": f"<b>{total:,}</b><br>resolved",
                "x": 0.5,
                "y": 0.56,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 14, "color": theme.BODY},
            }
        ],
    )


def _agent_labels(df: pd.DataFrame) -> list[str]:
    """The agents' names, told apart where two share one (escaped)."""
    pairs = zip(df["agent_id"], df["agent"], strict=True)
    return [theme.text(label) for label in agent_labels(pairs)]


def _agent_height(n: int, caption: dict) -> int:
    """An agent chart's height: n bars, the axis, and the caption's lines."""
    return max(theme.CHART_HEIGHT, 22 * n + 90) + _caption_room(caption) - 40


def _shown_agents(df: pd.DataFrame, chosen: int | None) -> pd.DataFrame:
    """The first TOP_AGENTS rows, and the chosen agent's row if it is further down."""
    top = df.head(TOP_AGENTS)
    if chosen is not None and chosen not in set(top["agent_id"]):
        top = pd.concat([top, df[df["agent_id"] == chosen]])
    return top


def _agent_colours(df: pd.DataFrame, chosen: int | None) -> list[str]:
    if chosen is None:
        return [theme.BLUE] * len(df)
    return [theme.BLUE if a == chosen else theme.TEAM for a in df["agent_id"]]


def _team_line(value: float, label: str, anchor: str = "center") -> tuple[dict, dict]:
    """A dashed vertical line at the team median, and its label on top (anchored
    "right" near the axis's end, so that a narrow plot does not cut it off)."""
    line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": value,
        "x1": value,
        "y0": 0,
        "y1": 1,
        "line": {"color": theme.MUTED, "width": 1.5, "dash": "dash"},
    }
    note = {
        "text": label,
        "x": value,
        "y": 1,
        "xref": "x",
        "yref": "paper",
        "xanchor": anchor,
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 11, "color": theme.MUTED},
    }
    return line, note


CAPTION_LINE = 15  # pixels a line of a caption takes


def _caption(text: str) -> dict:
    """Small muted lines under the plot, below the x axis's title: wrapped to fit
    a phone, and aligned with the plot's right edge, so that they run into the
    labels' margin rather than off a narrow card."""
    return {
        "text": _wrapped(text),
        "x": 1,
        "y": 0,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "right",
        "yanchor": "top",
        "align": "right",
        "yshift": -48,
        "showarrow": False,
        "font": {"size": 11, "color": theme.MUTED},
    }


def _caption_room(caption: dict) -> int:
    """Pixels below the plot for the x axis and a caption of this many lines."""
    return 48 + CAPTION_LINE * (caption["text"].count("<br>") + 1)


def _of_agents(shown: int, total: int) -> str:
    if shown >= total:
        return theme.plural(total, "agent")
    return f"top {shown} of {total:,} agents (all in the leaderboard)"


def tickets_per_agent(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Tickets each agent worked on, most first (the top ones, and the chosen agent
    against the team median), as horizontal bars (click: agent)."""
    if _no_rows(df, "number_of_tickets"):
        return empty(scope.nothing("tickets"))
    chosen = scope.filters.agent
    shown = _shown_agents(df, chosen)
    counts = shown["number_of_tickets"].astype(int).tolist()
    median = float(df["number_of_tickets"].median())
    line, note = _team_line(median, f"team median {median:g}")
    caption = _caption(_of_agents(min(len(shown), TOP_AGENTS), len(df)))
    return figure(
        [
            {
                "type": "bar",
                "y": _agent_labels(shown),
                "x": counts,
                "orientation": "h",
                "marker": {"color": _agent_colours(shown, chosen)},
                "text": counts,
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [[int(a)] for a in shown["agent_id"]],
                "hovertemplate": "%{y}: %{x} tickets" + _hint("agent"),
            }
        ],
        _agent_height(len(shown), caption),
        showlegend=False,
        bargap=0.3,
        margin={"t": 24, "b": _caption_room(caption)},
        shapes=[line],
        annotations=[note, caption],
        yaxis={"autorange": "reversed", "showgrid": False, "type": "category"},
        xaxis=_count_axis(
            "Tickets worked on", max(counts), showgrid=True, showline=False
        ),
    )


def agent_ratings(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Each ranked agent's average rating (agents with at least min_ratings rated
    tickets, best first) as a dot on their lowest-to-highest range, with n; the
    chosen agent against the team median."""
    if _no_rows(df, "n"):
        return empty(scope.nothing("rated tickets"))
    chosen = scope.filters.agent
    ranked = df[df["n"] >= scope.min_ratings]
    if ranked.empty and (chosen is None or chosen not in set(df["agent_id"])):
        return empty(
            f"No agent has {scope.min_ratings} or more rated tickets here yet: "
            "too few to rank"
        )
    shown = _shown_agents(ranked, chosen)
    if chosen is not None and chosen not in set(shown["agent_id"]):
        shown = pd.concat([shown, df[df["agent_id"] == chosen]])  # below the minimum
    labels = [
        f"{label} (n={int(n)})"
        for label, n in zip(_agent_labels(shown), shown["n"], strict=True)
    ]
    lo = shown["min_rating"].astype(float).tolist()
    hi = shown["max_rating"].astype(float).tolist()
    avg = shown["avg_rating"].astype(float).tolist()
    data = [
        [int(a), int(n), theme.rating(m), int(low), int(high)]
        for a, n, m, low, high in zip(
            shown["agent_id"], shown["n"], avg, lo, hi, strict=True
        )
    ]
    colours = [
        theme.MUTED if n < scope.min_ratings else c
        for n, c in zip(shown["n"], _agent_colours(shown, chosen), strict=True)
    ]
    traces = [
        {
            "type": "bar",
            "y": labels,
            "x": [h - low for low, h in zip(lo, hi, strict=True)],
            "base": lo,
            "orientation": "h",
            "name": "Lowest to highest",
            "marker": {
                "color": theme.RANGE,
                "line": {"color": theme.RANGE_EDGE, "width": 1},
            },
            "width": 0.5,
            "customdata": data,
            "hovertemplate": "%{y}: ratings %{customdata[3]} to %{customdata[4]}"
            + _hint("agent"),
        },
        {
            "type": "scatter",
            "y": labels,
            "x": avg,
            "mode": "markers+text",
            "name": "Average",
            "marker": {
                "color": colours,
                "size": 10,
                "line": {"color": "white", "width": 1},
            },
            "text": [theme.rating(v) for v in avg],
            "textposition": "middle right",
            "textfont": {"size": 11, "color": theme.MUTED},
            "cliponaxis": False,
            "customdata": data,
            "hovertemplate": "%{y}: average %{customdata[2]} of 5 over "
            "%{customdata[1]} rated tickets" + _hint("agent"),
        },
    ]
    shapes, notes = [], []
    if not ranked.empty:
        median = float(ranked["avg_rating"].median())
        line, note = _team_line(median, f"team median {median:.2f}", "right")
        shapes, notes = [line], [note]
    unranked = int((df["n"] < scope.min_ratings).sum())
    text = "Dot: average; bar: lowest to highest (1 = poor, 5 = excellent). "
    text += _of_agents(min(len(ranked), TOP_AGENTS), len(ranked))
    if unranked:
        text += f"; {unranked} with fewer than {scope.min_ratings} ratings: unranked"
    caption = _caption(text)
    return figure(
        traces,
        _agent_height(len(shown), caption),
        barmode="overlay",
        showlegend=False,
        margin={"t": 24, "b": _caption_room(caption)},
        shapes=shapes,
        annotations=[*notes, caption],
        # Best first, top down; a fixed range: markers would pad an automatic one.
        yaxis={
            "range": [len(shown) - 0.5, -0.5],
            "showgrid": False,
            "type": "category",
        },
        xaxis={
            "title": {"text": "Rating (1–5)"},  # short: a phone's plot is narrow
            "range": [0.8, 5.6],
            "tickvals": [1, 2, 3, 4, 5],
            "showgrid": True,
            "showline": False,
        },
    )


def resolution_time_by_month(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Median, average and 90th percentile per period over the fastest-slowest band."""
    if _no_rows(df, "n"):
        return empty(scope.nothing("resolved tickets"))
    return _spread_over_time(df, "resolution_time", "to resolve", "resolved")


def first_response_time(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Median, average and 90th percentile first response per period."""
    if _no_rows(df, "n"):
        return empty(scope.nothing("answered tickets"))
    return _spread_over_time(
        df, "first_response", "to the first agent reply", "answered"
    )


def _spread_over_time(df: pd.DataFrame, suffix: str, what: str, noun: str) -> Figure:
    """Lines over time: the 90th percentile, average and median (the fastest and
    slowest in the hover: a min-max band drowned the lines), in the unit the 90th
    percentiles call for. Periods with fewer than MIN_TREND_TICKETS tickets are left
    out: their percentiles are noise."""
    by = _period(df)
    total = int(df["n"].sum())
    df = df[df["n"] >= MIN_TREND_TICKETS].reset_index(drop=True)
    if len(df) < 2:  # no trend to draw: say what is needed and what there is
        have = {0: "none", 1: "one"}.get(len(df), f"{len(df)}")
        return empty(
            f"Too few {noun} tickets for a trend by {by}: a trend needs two {by}s "
            f"with {MIN_TREND_TICKETS} or more each; these filters have {have} "
            f"({theme.plural(total, noun + ' ticket')} in all)."
        )
    unit, size = theme.duration_unit(df[f"p90_{suffix}"].max())
    x, extra = _x(df), _per_period(df)
    base = [
        [d[0], int(n), theme.hours(lo), theme.hours(hi)]
        for d, n, lo, hi in zip(
            _drill(df), df["n"], df[f"min_{suffix}"], df[f"max_{suffix}"], strict=True
        )
    ]

    def points(col):
        hours = df[col].astype(float).tolist()
        scaled = [v / size for v in hours]
        return scaled, [b + [theme.hours(v)] for b, v in zip(base, hours, strict=True)]

    traces = []
    for label, col, colour, dash in (
        ("90th percentile", f"p90_{suffix}", theme.P90, "dot"),
        ("Average", f"avg_{suffix}", theme.AVERAGE, "solid"),
        ("Median", f"median_{suffix}", theme.MEDIAN, "solid"),
    ):
        values, data = points(col)
        hover = f"{label}: %{{customdata[4]}}"
        if label == "Median":  # the last line of the shared hover box
            hover += (
                f"<br>%{{customdata[1]}} {noun} tickets, fastest "
                "%{customdata[2]}, slowest %{customdata[3]}" + _hint("month")
            )
        else:
            hover += "<extra></extra>"
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": values,
                "name": label,
                "mode": "lines+markers",
                **extra,
                "line": {
                    "color": colour,
                    "width": 2.5 if label == "Median" else 2,
                    "dash": dash,
                },
                "marker": {"size": 7 if label == "Median" else 5},
                "customdata": data,
                "hovertemplate": hover,
            }
        )
    return figure(
        traces,
        hovermode="x unified",
        margin={"t": 28},
        yaxis={"title": {"text": f"{unit} {what}"}, "rangemode": "tozero"},
        xaxis=_time_axis(df, "opened"),
    )


# ------------------------------------------------------------------ extra charts


def ticket_volume(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Tickets opened and resolved per period, side by side (click: month)."""
    if _no_rows(df) or not (df["opened"].sum() or df["resolved"].sum()):
        return empty(scope.nothing("tickets"))
    x, data, extra = _x(df), _drill(df), _per_period(df)
    traces = [
        {
            "type": "bar",
            "x": x,
            "y": df[col].astype(int).tolist(),
            "name": label,
            "marker": {"color": colour},
            **extra,
            "customdata": data,
            "hovertemplate": f"{label}: %{{y}} tickets"
            + (_hint("month") if label == "Resolved" else "<extra></extra>"),
        }
        for label, col, colour in (
            ("Opened", "opened", theme.OPENED),
            ("Resolved", "resolved", theme.RESOLVED),
        )
    ]
    largest = int(max(df["opened"].max(), df["resolved"].max()))
    axis = _time_axis(df, "")
    axis["title"] = {"text": "Day" if _period(df) == "day" else "Month"}
    return figure(
        traces,
        hovermode="x unified",
        barmode="group",
        bargap=0.3,
        bargroupgap=0.08,
        margin={"t": 28},
        yaxis=_count_axis("Tickets", largest),
        xaxis=axis,
    )


def categories(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Tickets per category split into resolved and open (click: category)."""
    if _no_rows(df, "tickets"):
        return empty(scope.nothing("tickets"))
    df = df.sort_values("tickets", ascending=True, kind="stable")
    cats = [theme.text(c) for c in df["ticket_category"]]
    tickets = df["tickets"].astype(int)
    open_ = df["open_tickets"].astype(int)
    data = [
        [c, theme.hours(r), theme.rating(a), int(t)]
        for c, r, a, t in zip(
            df["ticket_category"],
            df["avg_resolution_time"],
            df["avg_rating"],
            tickets,
            strict=True,
        )
    ]
    traces = [
        {
            "type": "bar",
            "y": cats,
            "x": values,
            "name": label,
            "orientation": "h",
            "marker": {"color": colour},
            "customdata": data,
            "hovertemplate": f"%{{y}}: %{{x}} {label.lower()} of %{{customdata[3]}} "
            "tickets<br>Average resolution %{customdata[1]}, average rating "
            "%{customdata[2]}" + _hint("category"),
        }
        for label, values, colour in (
            ("Resolved", (tickets - open_).tolist(), theme.RESOLVED),
            ("Open", open_.tolist(), theme.OPEN),
        )
    ]
    return figure(
        traces,
        barmode="stack",
        bargap=0.35,
        margin={"t": 28},
        legend={"traceorder": "normal"},
        xaxis=_count_axis("Tickets", int(tickets.max()), showgrid=True, showline=False),
        yaxis={"showgrid": False, "type": "category"},
    )


def rating_distribution(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Rated tickets per rating 1-5 with CSAT (share rated 4 or 5) written on top."""
    if _no_rows(df, "tickets"):
        return empty(scope.nothing("rated tickets"))
    tickets = df["tickets"].astype(int).tolist()
    shares = df["share"].astype(float).tolist()
    csat = df["csat"].iloc[0]
    return figure(
        [
            {
                "type": "bar",
                "x": [f"{int(r)} ★" for r in df["rating"]],
                "y": tickets,
                "marker": {"color": list(theme.RATING_COLORS)},
                "text": [theme.share(s) for s in shares],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [[theme.share(s)] for s in shares],
                "hovertemplate": "Rated %{x}: %{y} tickets (%{customdata[0]})"
                "<extra></extra>",
            }
        ],
        showlegend=False,
        margin={"t": 60},
        yaxis=_count_axis("Rated tickets", max(tickets)),
        xaxis={"title": {"text": "Customer rating"}, "type": "category"},
        annotations=[
            {
                # Two lines: one would run off a phone's plot.
                "text": f"CSAT <b>{theme.share(csat)}</b><br>"
                f"<span style='color:{theme.MUTED};font-size:12px'>rated 4 or 5, "
                f"of {theme.plural(sum(tickets), 'rated ticket')}</span>",
                "x": 0,
                "y": 1,
                "yshift": 20,  # above the share over the highest bar
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "align": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 14, "color": theme.GREEN},
            }
        ],
    )


def _week_grid(df: pd.DataFrame) -> np.ndarray:
    """Messages as a 7 x 24 array (weekday, hour); cells outside it are ignored.
    numpy rather than pivot_table: a fifth of the whole page's figure time."""
    day, hour, count = (
        pd.to_numeric(df[col], errors="coerce").to_numpy()
        for col in ("weekday", "hour", "number_of_messages")
    )
    inside = (day >= 0) & (day < 7) & (hour >= 0) & (hour < 24)
    grid = np.zeros((7, 24), dtype=np.int64)
    spots = (day[inside].astype(int), hour[inside].astype(int))
    np.add.at(grid, spots, np.nan_to_num(count[inside]).astype(np.int64))
    return grid


def busiest_hours(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Messages per weekday (rows, Monday on top) and hour of day (columns)."""
    if _no_rows(df, "number_of_messages"):
        return empty(scope.nothing("messages"))
    grid = _week_grid(df)
    spans = [[f"{h:02d}:00–{(h + 1) % 24:02d}:00" for h in range(24)] for _ in range(7)]
    zone = theme.text(scope.timezone)
    return figure(
        [
            {
                "type": "heatmap",
                "z": grid.tolist(),
                "x": list(range(24)),  # numbers: Plotly thins the labels to fit
                "y": list(WEEKDAYS),
                "colorscale": [list(stop) for stop in theme.HEAT_SCALE],
                "xgap": 2,
                "ygap": 2,
                "customdata": spans,
                "colorbar": {
                    "title": {
                        "text": "Messages",
                        "side": "right",
                        "font": {"size": 12},
                    },
                    "thickness": 12,
                    "outlinewidth": 0,
                    "tickfont": {"size": 11, "color": theme.MUTED},
                },
                "hovertemplate": f"%{{y}} %{{customdata}} ({zone}): %{{z}} messages"
                "<extra></extra>",
            }
        ],
        300,
        yaxis={
            "autorange": "reversed",
            "showgrid": False,
            "title": {"text": "Weekday"},
        },
        xaxis={
            "showgrid": False,
            "showline": False,
            "title": {"text": f"Hour of day ({zone})"},
            # No fixed angle: where the labels would overlap (a phone), Plotly
            # turns them.
            "tickformat": "02d",
            "ticksuffix": ":00",
            "dtick": 3,
            "range": [-0.5, 23.5],
        },
    )


def open_by_age(df: pd.DataFrame, scope: Scope = ALL) -> Figure:
    """Open tickets per age bucket, stacked by category (click: those tickets)."""
    if _no_rows(df, "tickets"):
        return empty(scope.nothing("open tickets"), height=120)
    ages = [label for label, _, _ in AGE_BUCKETS]
    traces = []
    for i, (category, rows) in enumerate(df.groupby("ticket_category", sort=True)):
        counts = dict(zip(rows["age"], rows["tickets"], strict=True))
        traces.append(
            {
                "type": "bar",
                "x": ages,
                "y": [int(counts.get(a, 0)) for a in range(len(ages))],
                "name": theme.text(category),
                "marker": {"color": theme.COLORWAY[i % len(theme.COLORWAY)]},
                "customdata": [[a] for a in range(len(ages))],
                "hovertemplate": "%{x} old: %{y} open "
                + theme.text(category)
                + " tickets<br><span style='font-size:11px'>Click to list them, "
                "oldest first</span><extra></extra>",
            }
        )
    largest = int(df.groupby("age")["tickets"].sum().max())
    return figure(
        traces,
        # Taller than the others: on a phone the six categories' legend takes
        # six lines above the bars.
        theme.CHART_HEIGHT + 40,
        barmode="stack",
        bargap=0.3,
        margin={"t": 28},
        legend={"traceorder": "normal"},
        yaxis=_count_axis("Open tickets", largest),
        xaxis={"title": {"text": "Age (since the first message)"}, "type": "category"},
    )
