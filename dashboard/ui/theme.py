"""The visual language: palette, the Plotly template matched to Bootstrap 5.3, and how
numbers are written (hours as "25 min" / "4.2 h" / "2.1 d"; shares as "76.1%" and
averages as "4.25", by data/formats.py, as the CLI and the CSV downloads write them).

The template is a plain dict, as the figures are (figures.py): Plotly applies it in
the browser, and no figure object is built or validated on the server."""

import html
import math

from dashboard.data import formats

# Bootstrap 5.3's own colours, so charts and components read as one product.
BLUE = "#0d6efd"
PURPLE = "#6f42c1"
PINK = "#d63384"
RED = "#dc3545"
ORANGE = "#fd7e14"
YELLOW = "#ffc107"
GREEN = "#198754"
TEAL = "#20c997"
CYAN = "#0dcaf0"
GRAY = "#6c757d"
BODY = "#212529"
MUTED = "#6c757d"
GRID = "#e9ecef"
BORDER = "#dee2e6"
LIGHT = "#f8f9fa"  # table headers

COLORWAY = (BLUE, TEAL, ORANGE, PURPLE, PINK, CYAN, YELLOW, GRAY)

# Roles, so every chart uses the same colour for the same idea.
OPENED = BLUE
RESOLVED = TEAL
OPEN = ORANGE
MEDIAN = BLUE
AVERAGE = ORANGE
P90 = PURPLE
TEAM = "#9ec5fe"  # the other agents, when one is chosen (BLUE, light)


def faint(colour: str, opacity: float) -> str:
    """A '#rrggbb' colour at `opacity`, as CSS: faint("#0d6efd", 0.12)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {opacity})"


RANGE = faint(BLUE, 0.12)  # min-max band
RANGE_EDGE = faint(BLUE, 0.35)
ROW_HOVER = faint(BLUE, 0.06)  # a table row under the pointer
RATING_COLORS = ("#dc3545", "#fd7e14", "#ffc107", "#75b798", "#198754")  # 1..5
HEAT_SCALE = ((0.0, "#f3f7ff"), (0.35, "#9ec5fe"), (0.7, "#3d8bfd"), (1.0, "#052c65"))

# Bootstrap's --bs-font-sans-serif: the system font stack, no web font.
FONT_FAMILY = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", '
    '"Liberation Sans", Arial, sans-serif'
)

CHART_HEIGHT = 320

_axis = {
    "gridcolor": GRID,
    "linecolor": BORDER,
    "zeroline": False,
    "ticks": "",
    "title": {"font": {"size": 12, "color": MUTED}, "standoff": 8},
    "tickfont": {"size": 12, "color": MUTED},
    "automargin": True,
}

TEMPLATE = {
    "layout": {
        "font": {"family": FONT_FAMILY, "size": 13, "color": BODY},
        "colorway": list(COLORWAY),
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "xaxis": {**_axis, "showgrid": False, "showline": True},
        "yaxis": {**_axis, "showgrid": True, "showline": False},
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "xanchor": "left",
            "x": 0,
            "font": {"size": 12, "color": MUTED},
            "bgcolor": "rgba(0,0,0,0)",
        },
        "hoverlabel": {
            "bgcolor": "white",
            "bordercolor": BORDER,
            "font": {"family": FONT_FAMILY, "size": 13, "color": BODY},
        },
        "hovermode": "closest",
        "bargap": 0.25,
        "height": CHART_HEIGHT,
    }
}

# How durations given in hours are written: (under how many hours the unit is used,
# its name on a chart axis, hours per unit, its short form, decimals). One unit per
# column and per axis, named in its header or title: a single number (a KPI card, a
# hover, a bar's label, a conversation) is written by `hours` in the unit its size
# calls for; a chart axis takes the unit of its largest value (`duration_unit`);
# a table column is in hours, as the CSV downloads and the CLI are (TABLE_HOURS).
UNITS = (
    (1.0, "Minutes", 1 / 60, "min", 0),
    (48.0, "Hours", 1.0, "h", 1),
    (math.inf, "Days", 24.0, "d", 1),
)


def hours(value) -> str:
    """A duration given in hours, in the unit a person would say it in: minutes
    under an hour, hours under two days, days beyond ("25 min", "4.2 h", "2.1 d")."""
    if formats.missing(value):
        return formats.DASH
    value = float(value)
    unit = next((u for u in UNITS if value < u[0]), UNITS[-1])
    _below, _name, size, short, decimals = unit
    return f"{value / size:.{decimals}f} {short}"


def duration_unit(largest_hours) -> tuple[str, float]:
    """The unit an axis of durations up to `largest_hours` is drawn in, and how many
    hours one of it is: ('Hours', 1.0)."""
    largest = 0.0 if formats.missing(largest_hours) else float(largest_hours)
    for below, name, size, _short, _decimals in UNITS:
        if largest < below:
            return name, size
    return UNITS[-1][1], UNITS[-1][2]


TABLE_HOURS = "h"  # the unit of a table column of durations: "Median resolution (h)"


def text(value) -> str:
    """Text from the database, safe in a Plotly label, hover or annotation: Plotly
    reads <b>, <a href=...> and the like in them as markup."""
    return html.escape(str(value), quote=False)


def count(value) -> str:
    """A whole number with thousands separators."""
    return formats.DASH if formats.missing(value) else f"{int(value):,}"


def share(value) -> str:
    """A fraction 0..1 as a percentage with one decimal."""
    return formats.percent(value)


def rating(value) -> str:
    """An average rating on the 1-5 scale."""
    return formats.decimal(value)


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 ticket', '2 tickets'."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"
