"""How numbers are written for people, in one place: the page (ui/theme.py), the
CLI's table and the page's CSV downloads (export.readable) all use these, so a share
reads "76.1%" and an average "4.25" wherever it appears."""

import math
from decimal import Decimal

import pandas as pd

DASH = "—"  # what a missing value reads as on the page
PERCENT_DECIMALS = 1  # a share as a percentage: 76.1%
DECIMALS = 2  # hours, averages and other fractional numbers: 4.25


def missing(value) -> bool:
    """None or NaN: a number that is not defined (e.g. no rated tickets)."""
    if value is None:
        return True
    try:
        return math.isnan(value)
    except TypeError:
        return False


def percent(fraction, blank: str = DASH) -> str:
    """A fraction 0..1 as a percentage with PERCENT_DECIMALS: 0.7612 -> '76.1%'."""
    if missing(fraction):
        return blank
    return f"{float(fraction) * 100:.{PERCENT_DECIMALS}f}%"


def decimal(value, blank: str = DASH) -> str:
    """A number with DECIMALS: 4.254 -> '4.25'. A Decimal is rounded as the decimal
    it is (Decimal('2.675') -> '2.68'), not as the float nearest to it."""
    if missing(value):
        return blank
    number = value if isinstance(value, Decimal) else float(value)
    return f"{number:.{DECIMALS}f}"


def percent_values(fractions: pd.Series) -> pd.Series:
    """Fractions as percentages rounded to PERCENT_DECIMALS, still numbers (a CSV)."""
    return (fractions * 100).round(PERCENT_DECIMALS)


def decimal_values(values: pd.Series) -> pd.Series:
    """Numbers rounded to DECIMALS, still numbers (a CSV)."""
    return values.round(DECIMALS)
