"""The JavaScript the tables run in the browser (dash-ag-grid evaluates these strings):
their theme, value formatters and the column layout listener.

Each is generated from its Python definition, so the tables cannot drift from the
rest of the page: colours from theme.py, shares and decimals (durations are in hours
there, as in the downloads) from data/formats.py, the missing-value dash from there.
"""

import json

from dashboard.data import formats
from dashboard.ui import theme

# AG Grid's Quartz theme in Bootstrap's type and colours.
THEME = (
    "themeQuartz.withParams({fontFamily: 'inherit', fontSize: 13, headerFontSize: 12, "
    "headerFontWeight: 600, spacing: 6, cellHorizontalPadding: 8, "
    f"accentColor: '{theme.BLUE}', foregroundColor: '{theme.BODY}', "
    f"headerTextColor: '{theme.MUTED}', headerBackgroundColor: '{theme.LIGHT}', "
    f"borderColor: '{theme.BORDER}', rowHoverColor: '{theme.ROW_HOVER}', "
    "wrapperBorderRadius: 8})"
)

VALUE = "params.value"
MISSING_OR = f"{VALUE} == null ? {json.dumps(formats.DASH)} : "  # a formatter's start


PERCENT_FORMATTER = {
    "function": MISSING_OR
    + f"({VALUE} * 100).toFixed({formats.PERCENT_DECIMALS}) + '%'"
}


def decimal_formatter(decimals: int = formats.DECIMALS) -> dict:
    """A number with `decimals` (formats.DECIMALS unless a column needs fewer)."""
    return {"function": MISSING_OR + f"{VALUE}.toFixed({decimals})"}


def layout_listener(layouts: list[tuple[int | None, list[dict]]]) -> str:
    """A grid event listener (an expression dash-ag-grid evaluates) that gives the
    grid the column layout its width calls for, from grid.column_layouts (the
    narrowest first). Whether it has it already is read off the grid (is Status
    third, is Customer this wide?), so the columns a user resized keep their widths
    until the layout changes (Customer's until the grid is next resized). No Dash
    callback: the grid does it by itself."""
    api = "params.api"
    width = (
        f"({api}.getHorizontalPixelRange().right - "
        f"{api}.getHorizontalPixelRange().left)"
    )
    status_third = f"{api}.getAllDisplayedColumns()[2].getColId() === 'ticket_status'"
    customer = f"{api}.getColumn('customer').getActualWidth()"
    expression = ""
    for below, state in reversed(layouts):
        widths = {c["colId"]: c.get("width") for c in state}
        has = f"({status_third}) === {json.dumps(below is not None)}"
        if widths["customer"] is not None:
            has += f" && {customer} === {widths['customer']}"
        apply = (
            f"{api}.applyColumnState({{state: {json.dumps(state)}, applyOrder: true}})"
        )
        branch = f"(({has}) || {apply})"
        expression = (
            branch if below is None else f"{width} < {below} ? {branch} : {expression}"
        )
    return expression
