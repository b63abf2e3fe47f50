"""Every figure builder on small hand-made report frames: the right traces with the
right numbers, titles and units, drill-down values in customdata, and an empty-state
figure (one sentence, no axes) when there is nothing to draw.

The builders return plain dicts; each test reads them through plotly's own Figure
class (`plotted`), which validates every property: a misspelt one fails here."""

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.data.facts import agent_labels
from dashboard.data.filters import Filters
from dashboard.data.reports import REPORTS
from dashboard.ui import figures
from dashboard.ui.charts import CHARTS, QUEUE
from dashboard.ui.clicks import clicked
from dashboard.ui.figures import Scope, is_empty

SPREAD = ("min", "avg", "median", "p90", "max")


def spread_row(suffix: str, values, **extra) -> dict:
    return {
        **extra,
        **{f"{s}_{suffix}": v for s, v in zip(SPREAD, values, strict=True)},
    }


def by_month(suffix: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            spread_row(suffix, (0.5, 10.0, 8.0, 20.0, 40.0), month="2024-12", n=3),
            spread_row(suffix, (1.0, 30.0, 24.0, 40.0, 90.0), month="2025-01", n=5),
            spread_row(suffix, (0.25, 2.0, 1.5, 3.0, 4.0), month="2025-02", n=4),
        ]
    ).assign(month_name=["Dec 2024", "Jan 2025", "Feb 2025"])


def plotted(fig: dict) -> go.Figure:
    """A figure dict as plotly reads it (validated on the way)."""
    assert isinstance(fig, dict) and set(fig) == {"data", "layout"}
    return go.Figure(fig)


def trace_types(fig) -> list[str]:
    return [t.type for t in fig.data]


def annotation_texts(fig) -> list[str]:
    """The annotations' texts, read as one line each (long ones are wrapped)."""
    return [a.text.replace("<br>", " ") for a in fig.layout.annotations]


# ----------------------------------------------------------------- empty states


@pytest.mark.parametrize(
    ("filters", "agent_label", "noun", "message"),
    [
        (Filters(), None, "tickets", "No tickets"),
        (
            Filters(month="2025-03", category="Bug report", status="resolved"),
            None,
            "resolved tickets",
            "No resolved tickets for Bug report in Mar 2025",
        ),
        (Filters(status="open"), None, "tickets", "No open tickets"),
        (
            Filters(status="open", month="2025-01"),
            None,
            "resolved tickets",
            "No resolved tickets among open tickets in Jan 2025",
        ),
        (
            Filters(agent=3, month="2025-02"),
            "Ann Lee (#3)",
            "rated tickets",
            "No rated tickets handled by Ann Lee (#3) in Feb 2025",
        ),
        (Filters(agent=9), None, "messages", "No messages handled by agent #9"),
    ],
)
def test_fig001_scope_sentence(filters, agent_label, noun, message):
    assert Scope(filters, agent_label).nothing(noun) == message


EMPTY_FRAMES = {
    "open-by-age": pd.DataFrame(columns=["age", "ticket_category", "tickets"]),
    "resolution-time": pd.DataFrame([spread_row("resolution_time", [None] * 5, n=0)]),
    "agents-per-ticket": pd.DataFrame(
        columns=["number_of_agents", "number_of_tickets"]
    ),
    "tickets-per-agent": pd.DataFrame(
        columns=["agent_id", "agent", "number_of_tickets"]
    ),
    "resolution-time-by-month": pd.DataFrame(columns=["month", "month_name", "n"]),
    "agent-ratings": pd.DataFrame(columns=["agent_id", "agent", "n"]),
    "first-response-time": pd.DataFrame(columns=["month", "month_name", "n"]),
    "ticket-volume": pd.DataFrame(
        columns=["month", "month_name", "opened", "resolved"]
    ),
    "categories": pd.DataFrame(columns=["ticket_category", "tickets", "open_tickets"]),
    "rating-distribution": pd.DataFrame(
        {"rating": [1, 2, 3, 4, 5], "tickets": [0] * 5, "share": [math.nan] * 5}
    ).assign(csat=None),
    "busiest-hours": pd.DataFrame(columns=["weekday", "hour", "number_of_messages"]),
}
NOUNS = {
    "resolution-time": "resolved tickets",
    "agents-per-ticket": "resolved tickets",
    "tickets-per-agent": "tickets",
    "resolution-time-by-month": "resolved tickets",
    "agent-ratings": "rated tickets",
    "first-response-time": "answered tickets",
    "ticket-volume": "tickets",
    "categories": "tickets",
    "rating-distribution": "rated tickets",
    "busiest-hours": "messages",
    "open-by-age": "open tickets",
}


@pytest.mark.parametrize("chart", [*CHARTS, QUEUE], ids=lambda c: c.report)
def test_fig002_empty_data_gives_the_empty_state(chart):
    scope = Scope(Filters(month="2025-03", category="Bug report"))
    built = chart.build(EMPTY_FRAMES[chart.report], scope)
    fig = plotted(built)
    assert is_empty(built)
    assert fig.data == ()
    assert annotation_texts(fig) == [
        f"No {NOUNS[chart.report]} for Bug report in Mar 2025"
    ]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_fig003_registry_covers_the_reports_once():
    reports = [c.report for c in (*CHARTS, QUEUE)]
    assert len(set(reports)) == len(reports) == 11
    assert set(reports) <= set(REPORTS)
    assert {c.drill for c in CHARTS} == {None, "agent", "month", "category"}
    assert all(c.title and c.title[0].isupper() for c in CHARTS)


# ------------------------------------------------------------ the spec's charts


def test_fig010_resolution_time_bars_in_hours():
    df = pd.DataFrame(
        [spread_row("resolution_time", (0.5, 30.0, 12.0, 60.0, 100.0), n=4)]
    )
    fig = plotted(figures.resolution_time(df))
    assert trace_types(fig) == ["bar"]
    bar = fig.data[0]
    # min, median, avg, p90, max; in days, as the slowest (4.2 days) calls for
    assert list(bar.y) == [v / 24 for v in (0.5, 12.0, 30.0, 60.0, 100.0)]
    assert list(bar.text) == ["30 min", "12.0 h", "30.0 h", "2.5 d", "4.2 d"]
    assert fig.layout.yaxis.title.text == "Days to resolve"
    assert "4 resolved tickets" in annotation_texts(fig)
    quick = spread_row("resolution_time", (0.1, 0.5, 0.4, 0.8, 0.9), n=2)
    fast = plotted(figures.resolution_time(pd.DataFrame([quick])))
    assert fast.layout.yaxis.title.text == "Minutes to resolve"
    assert list(fast.data[0].y) == pytest.approx([6, 24, 30, 48, 54])


def test_fig011_agents_per_ticket_donut():
    df = pd.DataFrame({"number_of_agents": [1, 2, 3], "number_of_tickets": [6, 3, 1]})
    fig = plotted(figures.agents_per_ticket(df))
    assert trace_types(fig) == ["pie"]
    pie = fig.data[0]
    assert list(pie.labels) == ["1 agent", "2 agents", "3 agents"]
    assert list(pie.values) == [6, 3, 1]
    assert pie.hole > 0
    assert "tickets" in pie.hovertemplate
    assert any("10" in t and "resolved" in t for t in annotation_texts(fig))


def test_fig012_tickets_per_agent_sorted_bars_with_agent_ids():
    df = pd.DataFrame(
        {
            "agent_id": [5, 1, 3],
            "agent": ["Bob Ray", "Ann Lee", "Ann Lee"],
            "number_of_tickets": [9, 4, 2],
        }
    )
    fig = plotted(figures.tickets_per_agent(df))
    assert trace_types(fig) == ["bar"]
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["Bob Ray", "Ann Lee (#1)", "Ann Lee (#3)"]  # same names
    assert list(bar.x) == [9, 4, 2]
    assert [c[0] for c in bar.customdata] == [5, 1, 3]  # a click sets the agent
    assert "tickets" in bar.hovertemplate
    assert fig.layout.yaxis.autorange == "reversed"  # most tickets on top
    assert fig.layout.xaxis.title.text == "Tickets worked on"
    (line,) = fig.layout.shapes
    assert line.x0 == line.x1 == 4  # the team median of 9, 4 and 2
    assert "team median 4" in annotation_texts(fig)
    assert fig.layout.xaxis.tickformat == ",d"  # counts: whole numbers


def test_fig013_resolution_time_by_month_lines():
    fig = plotted(figures.resolution_time_by_month(by_month("resolution_time")))
    assert trace_types(fig) == ["scatter"] * 3
    assert [t.name for t in fig.data] == ["90th percentile", "Average", "Median"]
    median = fig.data[2]
    assert list(median.x) == ["2024-12-01", "2025-01-01", "2025-02-01"]
    assert list(median.y) == [8.0, 24.0, 1.5]  # hours: the largest p90 is 40 h
    assert [c[0] for c in median.customdata] == ["2024-12", "2025-01", "2025-02"]
    assert [c[2:] for c in median.customdata] == [
        ["30 min", "40.0 h", "8.0 h"],
        ["1.0 h", "3.8 d", "24.0 h"],
        ["15 min", "4.0 h", "1.5 h"],
    ]  # fastest, slowest, the value: in the unit a person would say it in
    assert fig.layout.yaxis.title.text == "Hours to resolve"
    assert "Click to show only this month" in median.hovertemplate
    # A date axis of whole months, so plotly thins the labels to the width.
    assert fig.layout.xaxis.type == "date" and median.xperiod == "M1"
    assert fig.layout.xaxis.title.text == "Month opened"


def test_fig015_trends_by_day_for_a_month_skip_thin_days_and_say_so():
    days = pd.DataFrame(
        [
            spread_row("resolution_time", (1, 2, 2, 3, 4), day="2025-03-03", n=5),
            spread_row("resolution_time", (1, 9, 9, 9, 9), day="2025-03-04", n=1),
            spread_row("resolution_time", (2, 3, 3, 4, 5), day="2025-03-07", n=3),
        ]
    ).assign(day_name=["Mar 3, 2025", "Mar 4, 2025", "Mar 7, 2025"])
    fig = plotted(figures.resolution_time_by_month(days))
    median = fig.data[-1]
    assert list(median.x) == ["2025-03-03", "2025-03-07"]  # one ticket is no trend
    assert [c[0] for c in median.customdata] == ["2025-03", "2025-03"]  # its month
    axis = fig.layout.xaxis
    assert axis.title.text == "Day opened" and axis.dtick == 86_400_000  # daily
    assert axis.tickformat == "%b %-d"
    thin = days.assign(n=[1, 2, 2])
    fig = plotted(figures.resolution_time_by_month(thin))
    assert annotation_texts(fig) == [
        "Too few resolved tickets for a trend by day: a trend needs two days with 3 "
        "or more each; these filters have none (5 resolved tickets in all)."
    ]
    lines = fig.layout.annotations[0].text.split("<br>")
    assert len(lines) <= 4 and max(map(len, lines)) <= 44  # fits a narrow card
    one = days.assign(n=[1, 2, 3])
    assert annotation_texts(plotted(figures.resolution_time_by_month(one))) == [
        "Too few resolved tickets for a trend by day: a trend needs two days with 3 "
        "or more each; these filters have one (6 resolved tickets in all)."
    ]


RATINGS = pd.DataFrame(
    {
        "agent_id": [4, 2, 1, 3],
        "agent": ["Dee Lu", "Bob Ray", "Ann Lee", "Cy Ong"],
        "n": [1, 6, 5, 9],
        "min_rating": [5, 4, 2, 1],
        "avg_rating": [5.0, 4.5, 3.0, 2.0],
        "max_rating": [5, 5, 4, 4],
    }
)


def test_fig014_agent_ratings_ranks_only_agents_with_enough_ratings():
    fig = plotted(figures.agent_ratings(RATINGS, Scope(min_ratings=5)))
    assert trace_types(fig) == ["bar", "scatter"]
    rng, avg = fig.data
    # Dee Lu's one 5-star rating does not put her on top: she is not ranked
    assert list(avg.y) == ["Bob Ray (n=6)", "Ann Lee (n=5)", "Cy Ong (n=9)"]
    assert list(rng.base) == [4.0, 2.0, 1.0] and list(rng.x) == [1.0, 2.0, 3.0]
    assert list(avg.x) == [4.5, 3.0, 2.0]
    assert list(avg.text) == ["4.50", "3.00", "2.00"]
    assert [c[0] for c in avg.customdata] == [2, 1, 3]
    assert "rated tickets" in avg.hovertemplate
    assert fig.layout.xaxis.title.text.startswith("Rating")
    assert fig.layout.shapes[0].x0 == 3.0  # the team median of the ranked
    assert any(
        "1 with fewer than 5 ratings: unranked" in t for t in annotation_texts(fig)
    )


def test_fig016_a_chosen_agent_is_shown_against_the_team():
    chosen = Scope(Filters(agent=4), "Dee Lu", min_ratings=5)
    fig = plotted(figures.agent_ratings(RATINGS, chosen))
    avg = fig.data[1]
    assert list(avg.y)[-1] == "Dee Lu (n=1)"  # shown, below the ranked, greyed
    assert avg.marker.color[-1] == figures.theme.MUTED
    tickets = pd.DataFrame(
        {
            "agent_id": list(range(1, 31)),
            "agent": [f"Agent {i}" for i in range(1, 31)],
            "number_of_tickets": list(range(60, 30, -1)),
        }
    )
    fig = plotted(figures.tickets_per_agent(tickets, Scope(Filters(agent=30))))
    bar = fig.data[0]
    assert len(bar.y) == figures.TOP_AGENTS + 1  # the top, and the chosen one
    assert bar.y[-1] == "Agent 30"
    assert list(bar.marker.color).count(figures.theme.BLUE) == 1
    assert bar.marker.color[-1] == figures.theme.BLUE
    assert any("top 15 of 30 agents" in t for t in annotation_texts(fig))


# ------------------------------------------------------------------ other charts


def test_fig020_ticket_volume_grouped_bars_by_month():
    df = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02"],
            "month_name": ["Jan 2025", "Feb 2025"],
            "opened": [10, 7],
            "resolved": [8, 9],
        }
    )
    fig = plotted(figures.ticket_volume(df))
    assert trace_types(fig) == ["bar", "bar"]
    assert [t.name for t in fig.data] == ["Opened", "Resolved"]
    assert list(fig.data[0].y) == [10, 7] and list(fig.data[1].y) == [8, 9]
    assert [c[0] for c in fig.data[1].customdata] == ["2025-01", "2025-02"]
    assert "tickets" in fig.data[0].hovertemplate
    assert fig.layout.barmode == "group"
    assert fig.layout.yaxis.title.text == "Tickets"
    assert fig.layout.yaxis.tickformat == ",d"  # counts: whole numbers only
    few = plotted(figures.ticket_volume(df.assign(opened=[1, 2], resolved=[0, 1])))
    assert few.layout.yaxis.dtick == 1  # never a tick at 0.5


def test_fig021_first_response_by_month():
    fig = plotted(figures.first_response_time(by_month("first_response")))
    assert trace_types(fig) == ["scatter"] * 3
    assert list(fig.data[2].y) == [8.0, 24.0, 1.5]
    assert "answered tickets" in fig.data[2].hovertemplate
    assert fig.layout.yaxis.title.text == "Hours to the first agent reply"


def test_fig022_categories_stacked_resolved_and_open():
    df = pd.DataFrame(
        {
            "ticket_category": ["Wrong order", "Bug report"],
            "tickets": [10, 4],
            "open_tickets": [1, 4],
            "avg_resolution_time": [50.0, None],
            "avg_rating": [4.2, None],
        }
    )
    fig = plotted(figures.categories(df))
    assert trace_types(fig) == ["bar", "bar"]
    resolved, open_ = fig.data
    assert list(resolved.y) == ["Bug report", "Wrong order"]  # biggest at the top
    assert list(resolved.x) == [0, 9] and list(open_.x) == [4, 1]
    assert [c[0] for c in open_.customdata] == ["Bug report", "Wrong order"]
    assert [c[1] for c in open_.customdata] == ["—", "2.1 d"]  # no resolved: no time
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.title.text == "Tickets"


def test_fig023_rating_distribution_with_csat():
    df = pd.DataFrame({"rating": [1, 2, 3, 4, 5], "tickets": [1, 0, 1, 3, 5]}).assign(
        share=lambda d: d.tickets / 10, csat=0.8
    )
    fig = plotted(figures.rating_distribution(df))
    assert trace_types(fig) == ["bar"]
    bar = fig.data[0]
    assert list(bar.x) == ["1 ★", "2 ★", "3 ★", "4 ★", "5 ★"]
    assert list(bar.y) == [1, 0, 1, 3, 5]
    assert list(bar.text) == ["10.0%", "0.0%", "10.0%", "30.0%", "50.0%"]
    (note,) = annotation_texts(fig)
    assert "CSAT <b>80.0%</b>" in note and "10 rated tickets" in note


def test_fig024_busiest_hours_heatmap_fills_quiet_slots():
    df = pd.DataFrame(
        {"weekday": [0, 0, 6], "hour": [9, 10, 23], "number_of_messages": [5, 2, 1]}
    )
    fig = plotted(figures.busiest_hours(df))
    assert trace_types(fig) == ["heatmap"]
    heat = fig.data[0]
    z = [list(row) for row in heat.z]
    assert len(z) == 7 and all(len(row) == 24 for row in z)
    assert z[0][9] == 5 and z[0][10] == 2 and z[6][23] == 1
    assert sum(map(sum, z)) == 8
    assert list(heat.y) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert list(heat.x) == list(range(24))  # numbers: labels thin out to fit
    assert fig.layout.xaxis.ticksuffix == ":00" and fig.layout.xaxis.tickformat == "02d"
    assert "messages" in heat.hovertemplate
    assert fig.layout.xaxis.title.text == "Hour of day (UTC)"
    berlin = plotted(figures.busiest_hours(df, Scope(timezone="Europe/Berlin")))
    assert berlin.layout.xaxis.title.text == "Hour of day (Europe/Berlin)"


def test_fig033_busiest_hours_sums_repeats_and_ignores_cells_off_the_week():
    df = pd.DataFrame(
        {
            "weekday": [2, 2, 7, None, 1, -1],
            "hour": [5, 5, 3, 4, 24, 0],
            "number_of_messages": [3, 4, 9, 9, 9, 9],
        }
    )
    z = [list(row) for row in plotted(figures.busiest_hours(df)).data[0].z]
    assert z[2][5] == 7 and sum(map(sum, z)) == 7


def test_fig025_open_tickets_by_age_stacked_by_category():
    df = pd.DataFrame(
        {
            "age": [0, 3, 3, 4],
            "age_name": ["< 1 h", "1–3 d", "1–3 d", "> 3 d"],
            "ticket_category": [
                "Wrong order",
                "Bug report",
                "Wrong order",
                "Bug report",
            ],
            "tickets": [1, 2, 3, 1],
        }
    )
    fig = plotted(figures.open_by_age(df))
    assert [t.name for t in fig.data] == ["Bug report", "Wrong order"]
    bugs, wrong = fig.data
    assert list(bugs.x) == ["< 1 h", "1–4 h", "4–24 h", "1–3 d", "> 3 d"]  # all ages
    assert list(bugs.y) == [0, 0, 0, 2, 1] and list(wrong.y) == [1, 0, 0, 3, 0]
    assert [c[0] for c in bugs.customdata] == [0, 1, 2, 3, 4]  # a click: the age
    assert fig.layout.barmode == "stack" and fig.layout.yaxis.tickformat == ",d"


def test_fig026_text_from_the_database_is_never_markup():
    df = pd.DataFrame(
        {
            "agent_id": [1],
            "agent": ['<a href="https://evil.example">Ann</a> <b>Lee</b>'],
            "number_of_tickets": [3],
        }
    )
    fig = plotted(figures.tickets_per_agent(df))
    (label,) = fig.data[0].y
    assert "<a" not in label and "<b>" not in label
    assert label == (
        '&lt;a href="https://evil.example"&gt;Ann&lt;/a&gt; &lt;b&gt;Lee&lt;/b&gt;'
    )
    note = plotted(figures.empty("No tickets for <b>x</b>"))
    assert annotation_texts(note) == ["No tickets for &lt;b&gt;x&lt;/b&gt;"]


# ------------------------------------------------------------------- drill-down


@pytest.mark.parametrize(
    ("click_data", "value"),
    [
        ({"points": [{"customdata": [7]}]}, 7),
        ({"points": [{"customdata": ["2025-03", 4, "2.0 h"]}]}, "2025-03"),
        ({"points": [{"customdata": "Bug report"}]}, "Bug report"),
        ({"points": [{"customdata": []}]}, None),
        ({"points": [{"x": 1}]}, None),
        ({"points": []}, None),
        ({}, None),
        (None, None),
        ("garbage", None),
        ({"points": [{"customdata": [{"a": 1}]}]}, None),
    ],
)
def test_fig030_clicked_reads_the_first_customdata_item(click_data, value):
    assert clicked(click_data) == value


def test_fig031_one_template_for_every_chart():
    df = pd.DataFrame({"number_of_agents": [1], "number_of_tickets": [1]})
    fig = plotted(figures.agents_per_ticket(df))
    assert fig.layout.template.layout.font.family.startswith("system-ui")
    assert fig.layout.template.layout.colorway[0] == "#0d6efd"
    # one template object for all: built once, not per figure
    raw = [figures.agents_per_ticket(df), figures.empty("x")]
    assert raw[0]["layout"]["template"] is raw[1]["layout"]["template"]


def test_fig032_agent_labels_tell_shared_names_apart():
    pairs = [(3, "Ann Lee"), (2, "Bob Ray"), (1, "Ann Lee")]
    assert agent_labels(pairs) == ["Ann Lee (#3)", "Bob Ray", "Ann Lee (#1)"]
    assert agent_labels([(7, "Ann Lee")]) == ["Ann Lee"]  # alone: no number
    assert agent_labels([]) == []
