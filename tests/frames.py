"""Comparing report DataFrames from two databases, allowing only float rounding."""

import math

import pandas as pd


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts with NaN turned into None."""
    return [
        {
            k: (None if isinstance(v, float) and math.isnan(v) else v)
            for k, v in r.items()
        }
        for r in df.astype(object).to_dict("records")
    ]


def assert_same_frames(got: pd.DataFrame, want: pd.DataFrame, what: str = "") -> None:
    assert list(got.columns) == list(want.columns), what
    a, b = records(got), records(want)
    assert len(a) == len(b), f"{what}: {len(a)} rows != {len(b)}"
    for i, (ra, rb) in enumerate(zip(a, b, strict=True)):
        for key in ra:
            x, y = ra[key], rb[key]
            if isinstance(x, (int, float)) and isinstance(y, (int, float)):
                assert math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-4), (
                    f"{what} row {i} {key}: {x} != {y}"
                )
            else:
                assert x == y, f"{what} row {i} {key}: {x!r} != {y!r}"
