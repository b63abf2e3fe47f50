"""Helpers for the dash_duo tests: selectors for Dash ids, and the KPI expectations
computed a second way (the `summary` report run directly on the database)."""

import json
import math

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.data.filters import Filters
from dashboard.data.reports import summary
from dashboard.ui import ids
from dashboard.ui.charts import CHARTS
from dashboard.ui.kpis import KPIS


def css(component_id) -> str:
    """A CSS selector for the element Dash renders with `component_id`."""
    if isinstance(component_id, str):
        return f"#{component_id}"
    as_dom = json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return f"[id='{as_dom}']"


POLL = 0.05  # seconds; dash_duo's waits poll every 0.5 s


def wait_until(dash_duo, condition, message, timeout: float = 10):
    """Poll `condition(driver)` until it is truthy; fail with `message()`."""
    try:
        return WebDriverWait(dash_duo.driver, timeout, poll_frequency=POLL).until(
            condition
        )
    except TimeoutException:
        raise AssertionError(message()) from None


def text(dash_duo, selector: str) -> str | None:
    """The element's rendered text, None if there is no such element; the lines of
    a wrapped Plotly text read as one. (Asked in JavaScript: selenium's find_elements
    waits dash_duo's implicit 2 s for a miss.)"""
    return dash_duo.driver.execute_script(
        "const e = document.querySelector(arguments[0]);"
        "if (e === null) return null;"
        "const lines = e.querySelectorAll('tspan.line');"
        "if (lines.length) return Array.from(lines, l => l.textContent).join(' ');"
        "return (e.innerText ?? e.textContent).trim();",
        selector,
    )


def count(dash_duo, selector: str) -> int:
    """How many elements match, without selenium's implicit wait."""
    return dash_duo.driver.execute_script(
        "return document.querySelectorAll(arguments[0]).length;", selector
    )


def wait_for_text(dash_duo, selector: str, expected: str, timeout: float = 10):
    """Wait until the element's text is `expected` (dash_duo's check, polled faster)."""
    wait_until(
        dash_duo,
        lambda _: text(dash_duo, selector) == expected,
        lambda: f"{selector} shows {text(dash_duo, selector)!r}, not {expected!r}",
        timeout,
    )


def expected_summary(engine, filters: Filters) -> dict:
    """The summary row for `filters`, straight from the database (not the store)."""
    with engine.connect() as conn:
        return summary(conn, filters).iloc[0].to_dict()


def wait_for_kpis(dash_duo, engine, filters: Filters, timeout: float = 10) -> dict:
    """Wait until every KPI card shows the summary for `filters`; check the exact
    value behind each card too. Returns the expected row."""
    row = expected_summary(engine, filters)
    for kpi in KPIS:
        wait_for_text(
            dash_duo, css(ids.kpi_value(kpi.name)), kpi.fmt(row[kpi.name]), timeout
        )
    for kpi in KPIS:
        shown = dash_duo.find_element(css(ids.kpi_value(kpi.name))).get_attribute(
            "data-value"
        )
        assert same_number(float(shown), row[kpi.name]), (kpi.name, shown, row)
    return row


def same_number(shown: float, expected) -> bool:
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return math.isnan(shown)
    return math.isclose(shown, float(expected), rel_tol=1e-9, abs_tol=1e-9)


def wait_for_charts(dash_duo, timeout: float = 10) -> None:
    """Every chart card shows its figure (traces, or the empty-state sentence; an
    empty placeholder plot does not count) and no callback is running."""
    drawn = [
        f"{css(ids.chart(c.report))} :is(.trace, .hm, .annotation-text)" for c in CHARTS
    ]

    def missing(_driver):
        return [s for s in drawn if not count(dash_duo, s)]

    wait_until(
        dash_duo,
        lambda driver: not missing(driver) and idle(dash_duo),
        lambda: f"charts not drawn: {missing(dash_duo.driver)}",
        timeout,
    )


def idle(dash_duo) -> bool:
    """No Dash callback output is waiting for its answer."""
    return count(dash_duo, "[data-dash-is-loading]") == 0


def search(dash_duo) -> str:
    return dash_duo.driver.execute_script("return window.location.search")


def wait_for_search(dash_duo, expected: str, timeout: float = 10) -> None:
    """Wait until the page's URL query string is `expected`."""
    wait_until(
        dash_duo,
        lambda _: search(dash_duo) == expected,
        lambda: f"URL query is {search(dash_duo)!r}, expected {expected!r}",
        timeout,
    )


def empty_message(dash_duo, report: str) -> str:
    """The sentence of a chart's empty state ('' if the chart has data)."""
    return text(dash_duo, f"{css(ids.chart(report))} .annotation-text") or ""
