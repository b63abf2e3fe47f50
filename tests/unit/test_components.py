"""Components and number formats: the KPI change against the previous month (arrow,
size, colour: green when better, and for times lower is better), the cards' ids,
the filter options, the one-line chart explanations and the alerts."""

import math
from datetime import datetime

import pytest

from dashboard.data.reports import definition
from dashboard.ui import components, grid_js, ids, layout, theme
from dashboard.ui.charts import CHARTS
from dashboard.ui.kpis import KPIS, TESTS, Delta, delta

KPI = {k.name: k for k in KPIS}


# Samples that no test could call chance: each month's values all alike, many.
MANY = 10_000


def _clear(kpi, current, previous):
    """A basis and samples under which any change of this KPI is significant."""
    if kpi.test in ("mean", "median"):
        return (MANY, MANY), ([current] * 50, [previous] * 50)
    return (MANY, MANY), None


@pytest.mark.parametrize(
    ("name", "current", "previous", "text", "tone"),
    [
        # times: lower is better
        ("avg_resolution_time", 80.0, 100.0, "▼ 20.0%", "better"),
        ("avg_resolution_time", 120.0, 100.0, "▲ 20.0%", "worse"),
        ("median_first_response", 0.5, 0.25, "▲ 100%", "worse"),
        ("median_first_response", 0.25, 1.0, "▼ 75.0%", "better"),
        ("open_tickets", 300, 400, "▼ 25.0%", "better"),
        # higher is better; a rating changes by its own units, not by percent
        ("avg_rating", 4.4, 4.0, "▲ 0.40", "better"),
        ("avg_rating", 3.0, 4.0, "▼ 1.00", "worse"),
        # shares change in percentage points
        ("csat", 0.80, 0.75, "▲ 5.0 pts", "better"),
        ("resolved_share", 0.5, 0.9, "▼ 40.0 pts", "worse"),
        ("multi_agent_share", 0.30, 0.20, "▲ 10.0 pts", "worse"),
        ("multi_agent_share", 0.10, 0.20, "▼ 10.0 pts", "better"),
        # ticket volume is neither good nor bad
        ("tickets", 600, 500, "▲ 20.0%", "neutral"),
        ("tickets", 400, 500, "▼ 20.0%", "neutral"),
        ("tickets", 400, 100, "▲ 300%", "neutral"),
        # no change, nothing before, nothing to compare
        ("tickets", 50, 50, "± 0%", "neutral"),
        ("csat", 0.5, 0.5, "± 0 pts", "neutral"),
        ("avg_rating", 4.0, 4.0, "± 0", "neutral"),
        ("open_tickets", 5, 0, "▲ new", "worse"),
        ("avg_rating", None, 4.0, "n/a", "none"),
        ("avg_rating", 4.0, math.nan, "n/a", "none"),
    ],
)
def test_cmp001_delta_against_previous_month(name, current, previous, text, tone):
    kpi = KPI[name]
    d = delta(kpi, current, previous, "2025-02", *_clear(kpi, current, previous))
    assert (d.text, d.tone) == (text, tone)
    if tone == "none":
        assert d.title == "Nothing to compare with in Feb 2025"
    else:
        assert d.title.startswith(f"Feb 2025: {kpi.fmt(previous)}")
        assert TESTS[kpi.test] in d.title


@pytest.mark.parametrize(
    ("name", "current", "previous", "basis", "samples", "p"),
    [
        # 3 vs 4 open tickets: z = -1 / sqrt(7)
        ("open_tickets", 3, 4, (10, 10), None, math.erfc(1 / math.sqrt(14))),
        # CSAT 4 of 5 against 3 of 5: pooled 0.7, se^2 = 0.21 * 0.4, z = 0.2 / se
        ("csat", 0.8, 0.6, (5, 5), None, math.erfc(0.2 / math.sqrt(0.084 * 2))),
        # ratings [5, 4] against [4, 3]: Welch t = 1 / sqrt(0.25 + 0.25) = sqrt 2,
        # df = 2; Student's t with 2 df: p = 1 - t / sqrt(2 + t^2) = 1 - sqrt(1/2)
        ("avg_rating", 4.5, 3.5, (2, 2), ([5, 4], [4, 3]), 1 - math.sqrt(0.5)),
    ],
)
def test_cmp013_a_change_that_could_be_chance_says_so(
    name, current, previous, basis, samples, p
):
    kpi = KPI[name]
    d = delta(kpi, current, previous, "2025-02", basis, samples)
    assert d.tone == "chance" and d.class_name == "text-secondary"
    assert d.detail.endswith("· could be chance")
    assert f"p = {p:.3f}" in d.title and TESTS[kpi.test] in d.title


def test_cmp014_too_few_to_test_is_said():
    d = delta(KPI["median_resolution_time"], 2.0, 3.0, "2025-02", (1, 0), ([2], []))
    assert (d.tone, d.detail) == ("chance", "n 1 vs 0 · too few")
    assert d.text == "▼ 33.3%"


@pytest.mark.parametrize(
    ("tone", "css_class"),
    [
        ("better", "text-success"),
        ("worse", "text-danger"),
        ("neutral", "text-secondary"),
        ("chance", "text-secondary"),
        ("none", "text-body-tertiary"),
    ],
)
def test_cmp002_delta_colour(tone, css_class):
    badge = components.delta_badge(Delta("▲ 1%", tone, "t", "n 30 vs 40 · fine"))
    assert css_class in badge.className.split()
    change, sizes, verdict = badge.children
    assert (change.children, sizes.children, verdict.children) == (
        "▲ 1%",
        "n 30 vs 40",
        "fine",
    )
    assert badge.title == "t"
    assert components.delta_badge(None) is None


def test_cmp003_better_direction_of_every_kpi():
    lower = {"open_tickets", "avg_resolution_time", "median_resolution_time"}
    lower |= {"median_first_response", "multi_agent_share"}
    higher = {"resolved_share", "avg_rating", "csat"}
    for kpi in KPIS:
        expected = (
            "lower" if kpi.name in lower else "higher" if kpi.name in higher else None
        )
        assert kpi.better == expected, kpi.name
    assert {k.name for k in KPIS if k.change == "points"} == {
        "resolved_share",
        "csat",
        "multi_agent_share",
    }
    assert {k.name for k in KPIS if k.change == "plain"} == {"avg_rating"}


@pytest.mark.parametrize("basis", [(20, 20), (250, 20), (19, 300), (300, 2)])
def test_cmp005_every_change_is_shown_with_its_sample_sizes(basis):
    kpi = KPI["median_first_response"]
    now, then = basis
    samples = ([0.5] * now, [0.25] * then)
    d = delta(kpi, 0.5, 0.25, "2025-02", basis, samples)
    assert d.text == "▲ 100%"
    assert d.detail.startswith(f"n {now:,} vs {then:,} · ")
    assert f"over {then:,} tickets; this month over {now:,}" in d.title


def test_cmp004_kpi_card_ids():
    card = components.kpi_card(KPI["csat"])
    assert card.id == ids.kpi_card("csat")
    body = card.children.children
    assert body[0].children == "CSAT"
    assert body[1].id == {"type": "kpi-value", "name": "csat"}
    assert body[2].id == {"type": "kpi-delta", "name": "csat"}
    row = components.kpi_row()
    cols = row.children[1].children
    assert len(cols) == 9
    # 2 a row on phones, 3 from sm, 9 a row on xl
    assert all(c.xs == 6 and c.sm == 4 and c.xl is True for c in cols)


@pytest.mark.parametrize(
    ("value", "hours", "share", "count", "rating"),
    [
        (0.25, "15 min", "25.0%", "0", "0.25"),
        (1, "1.0 h", "100.0%", "1", "1.00"),
        (47.94, "47.9 h", "4794.0%", "47", "47.94"),
        (48, "2.0 d", "4800.0%", "48", "48.00"),
        (1234.5, "51.4 d", "123450.0%", "1,234", "1234.50"),
        (None, "—", "—", "—", "—"),
        (math.nan, "—", "—", "—", "—"),
    ],
)
def test_cmp015_number_formats(value, hours, share, count, rating):
    assert theme.hours(value) == hours
    assert theme.share(value) == share
    assert theme.count(value) == count
    assert theme.rating(value) == rating


def test_cmp006_month_options_newest_first_and_keep_the_chosen_one():
    assert components.month_options(["2025-01", "2025-02"]) == [
        {"label": "Feb 2025", "value": "2025-02"},
        {"label": "Jan 2025", "value": "2025-01"},
    ]
    chosen = components.month_options(["2025-01"], selected="2019-05")
    assert [o["label"] for o in chosen] == ["Jan 2025", "May 2019"]


def test_cmp007_agent_options_by_label():
    opts = components.agent_options([(3, "Ann Lee (#3)"), (2, "Bob Ray")])
    assert opts == [
        {"label": "Ann Lee (#3)", "value": 3},
        {"label": "Bob Ray", "value": 2},
    ]


def find(component, class_name=None, component_id=None):
    """The first component in a tree with that class name or id."""
    if class_name and class_name in (getattr(component, "className", None) or ""):
        return component
    if component_id is not None and getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "to_plotly_json"):
            found = find(child, class_name, component_id)
            if found is not None:
                return found
    return None


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.report)
def test_cmp008_chart_card_title_and_one_line_description(chart):
    card = components.chart_card(chart)
    assert find(card, "chart-title").children == chart.title
    assert find(card, "chart-info").title == definition(chart.report)  # full text
    line = find(card, component_id=ids.chart_description(chart.report)).children
    assert line == chart.describe("month")
    assert line.endswith(".") and line.count(". ") == 0 and len(line) <= 200
    assert "{" not in line
    assert find(card, component_id=ids.chart(chart.report)) is not None


def test_cmp010_freshness_and_alerts():
    assert (
        components.freshness(datetime(2025, 3, 4, 9, 5))
        == "Newest message 4 Mar 2025, 09:05"
    )
    assert components.freshness(None) == "No messages yet"
    assert components.db_alert(None) is None
    alert = components.db_alert("The database server cannot be reached.")
    assert alert.color == "danger"
    assert alert.children[0].children == "The database server cannot be reached. "
    assert "server log" in alert.children[2].children
    stale = components.db_alert("The database server cannot be reached.", stale=True)
    assert "data last read" in stale.children[1].children
    assert components.notices_alert([]) is None
    notice = components.notices_alert(["one", "two"])
    assert notice.color == "warning" and notice.dismissable is True
    assert [li.children for li in notice.children[1].children] == ["one", "two"]


def test_cmp011_every_chart_has_a_place_in_the_layout():
    assert set(layout.WIDTHS) == {c.report for c in CHARTS}
    page = layout.page(min_ratings=5)
    assert page.children[0].id == ids.URL and page.children[0].refresh is False


def test_cmp012_faint_colours_and_the_grid_theme_come_from_the_palette():
    assert theme.faint("#0d6efd", 0.12) == "rgba(13, 110, 253, 0.12)"
    assert theme.faint("#FFFFFF", 0.5) == "rgba(255, 255, 255, 0.5)"
    for colour in ("#0d6efd", "#212529", "#6c757d", "#f8f9fa", "#dee2e6"):
        assert f"'{colour}'" in grid_js.THEME
    assert "rgba(13, 110, 253, 0.06)" in grid_js.THEME
