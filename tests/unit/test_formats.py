"""How numbers are written for people (data/formats.py): the page, the CLI and the
CSV downloads share these; expected texts written by hand."""

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from dashboard.data import formats


@pytest.mark.parametrize(
    ("value", "want"),
    [(None, True), (math.nan, True), (np.nan, True), (0, False), ("x", False)],
)
def test_fmt001_missing(value, want):
    assert formats.missing(value) is want


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (0.7612, "76.1%"),
        (0.76, "76.0%"),
        (1, "100.0%"),
        (0, "0.0%"),
        (np.float64(0.5), "50.0%"),
        (Decimal("0.125"), "12.5%"),
        (None, "—"),
        (math.nan, "—"),
    ],
)
def test_fmt002_percent(value, want):
    assert formats.percent(value) == want


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (4.254, "4.25"),
        (4, "4.00"),
        (np.float64(1.5), "1.50"),
        (Decimal("2.675"), "2.68"),  # rounded as the decimal it is
        (None, "—"),
        (math.nan, "—"),
    ],
)
def test_fmt003_decimal(value, want):
    assert formats.decimal(value) == want


def test_fmt004_a_blank_other_than_the_dash():
    assert formats.percent(None, blank="") == ""
    assert formats.decimal(math.nan, blank="") == ""


def test_fmt005_values_for_a_csv_stay_numbers():
    shares = formats.percent_values(pd.Series([0.90123, 0.5, math.nan]))
    assert shares.tolist()[:2] == [90.1, 50.0]
    assert math.isnan(shares.iloc[2])
    assert formats.decimal_values(pd.Series([649.9086, 4.166666])).tolist() == [
        649.91,
        4.17,
    ]
