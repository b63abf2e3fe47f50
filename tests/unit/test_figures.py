"""Every figure builder on small hand-made report frames: the right traces with the
right numbers, titles and units, drill-down values in customdata, and an empty-state
figure (one sentence, no axes) when there is nothing to draw."""

import math

import pandas as pd
import pytest

from dashboard import figures
from dashboard.figures import CHARTS, Scope, clicked, is_empty
from dashboard.filters import Filters
from dashboard.reports import REPORTS

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
            spread_row(suffix, (1.0, 30.0, 24.0, 60.0, 90.0), month="2025-01", n=5),
            spread_row(suffix, (0.25, 2.0, 1.5, 3.0, 4.0), month="2025-02", n=2),
        ]
    ).assign(month_name=["Dec 2024", "Jan 2025", "Feb 2025"])


def trace_types(fig) -> list[str]:
    return [t.type for t in fig.data]


def annotation_texts(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


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
}


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.report)
def test_fig002_empty_data_gives_the_empty_state(chart):
    scope = Scope(Filters(month="2025-03", category="Bug report"))
    fig = chart.build(EMPTY_FRAMES[chart.report], scope)
    assert is_empty(fig)
    assert fig.data == ()
    assert annotation_texts(fig) == [
        f"No {NOUNS[chart.report]} for Bug report in Mar 2025"
    ]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_fig003_registry_covers_the_reports_once():
    reports = [c.report for c in CHARTS]
    assert len(set(reports)) == len(reports) == 10
    assert set(reports) <= set(REPORTS)
    assert {c.drill for c in CHARTS} == {None, "agent", "month", "category"}
    assert all(c.title and c.title[0].isupper() for c in CHARTS)


# ------------------------------------------------------------ the spec's charts


def test_fig010_resolution_time_bars_in_hours():
    df = pd.DataFrame(
        [spread_row("resolution_time", (0.5, 30.0, 12.0, 60.0, 100.0), n=4)]
    )
    fig = figures.resolution_time(df)
    assert trace_types(fig) == ["bar"]
    bar = fig.data[0]
    assert list(bar.y) == [0.5, 12.0, 30.0, 60.0, 100.0]  # min, median, avg, p90, max
    assert list(bar.text) == ["30 min", "12.0 h", "30.0 h", "2.5 d", "4.2 d"]
    assert "hours" in bar.hovertemplate
    assert fig.layout.yaxis.title.text == "Hours to resolve"
    assert "4 resolved tickets" in annotation_texts(fig)


def test_fig011_agents_per_ticket_donut():
    df = pd.DataFrame({"number_of_agents": [1, 2, 3], "number_of_tickets": [6, 3, 1]})
    fig = figures.agents_per_ticket(df)
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
    fig = figures.tickets_per_agent(df)
    assert trace_types(fig) == ["bar"]
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["Bob Ray", "Ann Lee (#1)", "Ann Lee (#3)"]  # same names
    assert list(bar.x) == [9, 4, 2]
    assert [c[0] for c in bar.customdata] == [5, 1, 3]  # a click sets the agent
    assert "tickets" in bar.hovertemplate
    assert fig.layout.yaxis.autorange == "reversed"  # most tickets on top
    assert fig.layout.xaxis.title.text == "Tickets worked on"


def test_fig013_resolution_time_by_month_lines_over_a_band():
    fig = figures.resolution_time_by_month(by_month("resolution_time"))
    assert trace_types(fig) == ["scatter"] * 5
    names = [t.name for t in fig.data]
    assert names == [
        "Fastest",
        "Fastest to slowest",
        "90th percentile",
        "Average",
        "Median",
    ]
    band = fig.data[1]
    assert band.fill == "tonexty" and list(band.y) == [40.0, 90.0, 4.0]
    median = fig.data[4]
    assert list(median.x) == ["2024-12-01", "2025-01-01", "2025-02-01"]
    assert list(median.y) == [8.0, 24.0, 1.5]
    assert [c[0] for c in median.customdata] == ["2024-12", "2025-01", "2025-02"]
    assert "hours" in median.hovertemplate
    assert fig.layout.yaxis.title.text == "Hours to resolve"
    assert "Click to show only this month" in median.hovertemplate
    # A date axis of whole months, so plotly thins the labels to the width.
    assert fig.layout.xaxis.type == "date" and median.xperiod == "M1"


def test_fig014_agent_ratings_range_and_average():
    df = pd.DataFrame(
        {
            "agent_id": [2, 1],
            "agent": ["Bob Ray", "Ann Lee"],
            "n": [3, 2],
            "min_rating": [4, 2],
            "avg_rating": [4.5, 3.0],
            "max_rating": [5, 4],
        }
    )
    fig = figures.agent_ratings(df)
    assert trace_types(fig) == ["bar", "scatter"]
    rng, avg = fig.data
    assert list(rng.base) == [4.0, 2.0] and list(rng.x) == [1.0, 2.0]  # min..max
    assert list(avg.x) == [4.5, 3.0]
    assert list(avg.text) == ["4.50", "3.00"]
    assert [c[0] for c in avg.customdata] == [2, 1]
    assert "rated tickets" in avg.hovertemplate
    assert fig.layout.xaxis.title.text.startswith("Rating")


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
    fig = figures.ticket_volume(df)
    assert trace_types(fig) == ["bar", "bar"]
    assert [t.name for t in fig.data] == ["Opened", "Resolved"]
    assert list(fig.data[0].y) == [10, 7] and list(fig.data[1].y) == [8, 9]
    assert [c[0] for c in fig.data[1].customdata] == ["2025-01", "2025-02"]
    assert "tickets" in fig.data[0].hovertemplate
    assert fig.layout.barmode == "group"
    assert fig.layout.yaxis.title.text == "Tickets"


def test_fig021_first_response_by_month():
    fig = figures.first_response_time(by_month("first_response"))
    assert trace_types(fig) == ["scatter"] * 5
    assert list(fig.data[4].y) == [8.0, 24.0, 1.5]
    assert "answered tickets" in fig.data[4].hovertemplate
    assert fig.layout.yaxis.title.text == "Hours to first agent reply"


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
    fig = figures.categories(df)
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
    fig = figures.rating_distribution(df)
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
    fig = figures.busiest_hours(df)
    assert trace_types(fig) == ["heatmap"]
    heat = fig.data[0]
    z = [list(row) for row in heat.z]
    assert len(z) == 7 and all(len(row) == 24 for row in z)
    assert z[0][9] == 5 and z[0][10] == 2 and z[6][23] == 1
    assert sum(map(sum, z)) == 8
    assert list(heat.y) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert heat.x[9] == "09:00"
    assert "messages" in heat.hovertemplate
    assert fig.layout.xaxis.title.text == "Hour of day"


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
    fig = figures.agents_per_ticket(df)
    assert fig.layout.template.layout.font.family.startswith("system-ui")
    assert fig.layout.template.layout.colorway[0] == "#0d6efd"
