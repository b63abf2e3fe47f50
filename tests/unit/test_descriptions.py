"""Every chart's title, description and axis titles say what is drawn, for every
period the charts are kept by: the whole demo year (by month) and one month of it
(by day). Walked on the demo data, as the page renders it."""

import re

import pytest

from dashboard.data.filters import Filters
from dashboard.data.reports import OVER_TIME
from dashboard.ui.charts import CHARTS
from dashboard.web import view_data
from dashboard.web.callbacks.view import render

PERIODS = {"month": Filters(), "day": Filters(month="2025-03")}
UNIT_WORDS = {"minutes", "hours"}  # the axes name the units ("hour of day" is none)
PERIOD_WORDS = {"month", "months", "day", "days"}


@pytest.fixture(scope="module")
def views():
    from dashboard.engine.store import FactsStore
    from seeds.demo import demo_engine

    store = FactsStore(demo_engine(42))
    store.refresh()
    out = {}
    for period, filters in PERIODS.items():
        data = view_data.load(store, filters)
        assert data.period == period  # the year by month, one month by day
        out[period] = render(data)
    return out


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower().replace("<br>", " ")))


def axis_words(title: str) -> set[str]:
    """An axis title's words, but its unit (its first word when it is one) and what
    it says in brackets (a time zone, a scale)."""
    title = re.sub(r"\([^)]*\)", "", title)
    return words(title) - {"minutes", "hours", "days"}


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.report)
def test_desc001_words_agree_with_what_is_drawn(views, chart, period):
    view = views[period]
    text = view["descriptions"][chart.report]
    said = words(text)
    fig = view["figures"][chart.report]
    assert not said & UNIT_WORDS, text
    other = {"month": "day", "day": "month"}[period]
    if chart.report in OVER_TIME:
        assert said & {period, f"{period}s"}, text
        assert not said & {other, f"{other}s"}, text
        assert not words(chart.title) & PERIOD_WORDS, chart.title
        if not fig["layout"].get("meta", {}).get("empty"):
            x_title = fig["layout"]["xaxis"]["title"]["text"]
            assert x_title.split()[0].lower() == period, x_title
    else:
        assert not re.search(r"\b(per|each|by) (month|day)s?\b", text), text
    if fig["layout"].get("meta", {}).get("empty"):
        return
    for trace in fig["data"]:  # every series drawn is named in the description
        assert axis_words(trace.get("name") or "") <= said, (trace.get("name"), text)
    for axis in ("xaxis", "yaxis"):  # and what every axis counts or measures
        title = fig["layout"].get(axis, {}).get("title", {}).get("text", "")
        assert axis_words(title) <= said, (title, text)
    first = fig["data"][0]
    if first["type"] == "bar" and first.get("orientation") != "h":
        for label in first["x"]:  # the bars' own names (Fastest, Median, ...)
            named = {w for w in axis_words(str(label)) if w.isalpha()}  # no dates
            assert named <= said, (label, text)


def test_desc002_categories_says_counts_not_times():
    """The issue's example: the card promised resolution time and rating, and the
    chart draws counts of resolved and open tickets."""
    chart = next(c for c in CHARTS if c.report == "categories")
    assert chart.describe().startswith("Tickets per category, resolved and still open")


def test_desc003_the_volume_chart_says_day_for_one_month(views):
    assert views["day"]["descriptions"]["ticket-volume"].startswith(
        "Tickets opened per day"
    )
    assert views["month"]["descriptions"]["ticket-volume"].startswith(
        "Tickets opened per month"
    )
