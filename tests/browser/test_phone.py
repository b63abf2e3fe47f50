"""The page on a phone (390 px), a tablet (768 px) and a laptop (1280 px).

Chromium's windows are at least 500 pixels wide, so the viewport is set through the
DevTools protocol, as a phone's under 500 pixels (tests/screenshot.py does the same).
"""

import pytest

from dashboard.config import Settings
from dashboard.data.filters import Filters
from dashboard.testing.dom import css, wait_for_charts, wait_for_kpis, wait_until
from dashboard.ui import grid, ids
from dashboard.ui.kpis import KPIS
from dashboard.web.app import create_app
from tests.screenshot import set_viewport

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE, TABLET, LAPTOP = 390, 768, 1280
KEY_COLUMNS = ("Ticket", "Customer", "Status", "Opened")


@pytest.fixture(scope="module")
def app(engine):
    return create_app(Settings(), engine=engine)


def open_at(dash_duo, app, width: int) -> None:
    """Open the page in a viewport `width` pixels wide; wait until it is drawn."""
    set_viewport(dash_duo.driver, width, 844)
    dash_duo.start_server(app, navigate=False)
    dash_duo.wait_for_page(dash_duo.server.url)
    wait_for_charts(dash_duo, timeout=20)
    wait_until(
        dash_duo,
        lambda _: header_cells(dash_duo),
        lambda: "the tickets table has no columns",
    )


def page_width(dash_duo) -> tuple[int, int]:
    """(document.documentElement.scrollWidth, window.innerWidth)."""
    return tuple(
        dash_duo.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )
    )


def rects(dash_duo, selector: str) -> list[dict]:
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]), e => {"
        "  const r = e.getBoundingClientRect();"
        "  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};"
        "});",
        selector,
    )


def header_cells(dash_duo) -> list[dict]:
    """The tickets table's column titles, left to right, with where they are on
    screen, and the rectangle of the table's scrolling area."""
    return dash_duo.driver.execute_script(
        "const grid = document.querySelector(arguments[0]);"
        "const view = grid && grid.querySelector('.ag-body-viewport');"
        "if (!view) return [];"
        "const v = view.getBoundingClientRect();"
        "return Array.from(grid.querySelectorAll('.ag-header-cell'), h => {"
        "  const r = h.getBoundingClientRect();"
        "  return {title: h.innerText.trim(), left: r.left, right: r.right,"
        "          viewLeft: v.left, viewRight: v.right};"
        "}).sort((a, b) => a.left - b.left);",
        css(ids.TICKETS_GRID),
    )


def titles(dash_duo) -> list[str]:
    return [h["title"] for h in header_cells(dash_duo)]


def wait_for_key_columns_first(dash_duo) -> None:
    """Wait until the table has taken its narrow layout (layout_listener)."""
    wait_until(
        dash_duo,
        lambda _: titles(dash_duo)[:4] == list(KEY_COLUMNS),
        lambda: f"columns: {titles(dash_duo)}",
    )


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    )


def chart_problems(dash_duo) -> list[str]:
    """Tick labels that overlap, and legends or notes cut off by the chart's edge."""
    problems = []
    for graph in dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.chart-graph'), g => g.id);"
    ):
        box = rects(dash_duo, f"#{graph} .main-svg")[0]
        for axis in ("xtick", "ytick"):
            labels = rects(dash_duo, f"#{graph} .{axis} text")
            labels = [r for r in labels if r["right"] > r["left"]]
            problems += [
                f"{graph}: {axis} labels overlap"
                for a, b in zip(labels, labels[1:], strict=False)
                if overlaps(a, b)
            ]
        for part in (".legend", ".annotation-text", ".g-xtitle", ".ytick text"):
            for r in rects(dash_duo, f"#{graph} {part}"):
                if r["left"] < box["left"] - 1 or r["right"] > box["right"] + 1:
                    problems.append(f"{graph}: {part} cut off at the sides")
    return problems


def test_phone001_layouts_put_the_key_columns_first():
    for personal in (True, False):
        defs = grid.column_defs(personal)
        fields = [c["field"] for c in defs]
        layouts = grid.column_layouts(defs)
        for _below, state in layouts:
            assert sorted(c["colId"] for c in state) == sorted(fields)
        phone = layouts[0][1]
        first = [c["colId"] for c in phone[:4]]
        assert first == ["ticket_id", "customer", "ticket_status", "opened"]
        # a 390-pixel phone's table is 324 pixels wide: the four fit, and the edge
        # of the next column shows that there is more
        assert 300 <= sum(c["width"] for c in phone[:4]) <= 320
    wide = grid.column_layouts(grid.column_defs(True))[-1][1]
    # at 1280 pixels (a table 1,198 wide) every column fits, the name's first
    fixed = sum(c.get("width") or 0 for c in wide)
    least = sum(c.get("minWidth", 0) for c in grid.column_defs(True) if "flex" in c)
    assert fixed + least <= 1198


@pytest.mark.browser
def test_phone002_phone_fits_kpis_two_a_row_table_keeps_key_columns(
    dash_duo, app, engine
):
    open_at(dash_duo, app, PHONE)
    wait_for_kpis(dash_duo, engine, Filters())
    scroll_width, inner = page_width(dash_duo)
    assert inner == PHONE
    assert scroll_width <= PHONE  # no sideways scrolling

    # KPI cards: two a row, side by side, the rows one under the other
    cards = [rects(dash_duo, css(ids.kpi_card(k.name)))[0] for k in KPIS]
    rows = [cards[i : i + 2] for i in range(0, len(cards), 2)]
    for row in rows:
        assert abs(row[0]["top"] - row[-1]["top"]) < 1
        if len(row) == 2:
            assert row[0]["right"] <= row[1]["left"]
            assert row[1]["right"] <= PHONE
    for above, below in zip(rows, rows[1:], strict=False):
        assert above[0]["bottom"] <= below[0]["top"]

    # The table: Ticket, Customer, Status and Opened in view, more a swipe away
    wait_for_key_columns_first(dash_duo)
    headers = header_cells(dash_duo)
    for h in headers[:4]:
        assert h["viewLeft"] - 1 <= h["left"], h
        assert h["right"] <= h["viewRight"] + 1, h
    assert headers[4]["right"] > headers[4]["viewRight"]  # more columns to the right
    assert dash_duo.find_element(".more-columns-hint").is_displayed()

    assert chart_problems(dash_duo) == []
    assert dash_duo.get_logs() == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [TABLET, LAPTOP])
def test_phone003_no_sideways_scrolling_on_tablet_and_laptop(dash_duo, app, width):
    open_at(dash_duo, app, width)
    scroll_width, inner = page_width(dash_duo)
    assert inner == width
    assert scroll_width <= width
    if width == LAPTOP:  # every column in view, in the query's order
        assert titles(dash_duo)[:3] == ["Ticket", "Opened", "Customer"]
        headers = header_cells(dash_duo)
        assert headers[-1]["right"] <= headers[-1]["viewRight"] + 1
        assert not dash_duo.find_element(".more-columns-hint").is_displayed()
    else:
        wait_for_key_columns_first(dash_duo)
    assert chart_problems(dash_duo) == []
    assert dash_duo.get_logs() == []
