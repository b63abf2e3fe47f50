"""The change tests the KPI badges state (data/stats.py), against values worked out
by hand or by a second, plain implementation written here."""

import math

import pytest

from dashboard.data import stats


def _wilson_by_quadratic(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson interval as the two shares pi with |k/n - pi| = z*sqrt(pi(1-pi)/n):
    the roots of (1 + z^2/n) pi^2 - (2 k/n + z^2/n) pi + (k/n)^2 = 0."""
    p = k / n
    a, b, c = 1 + z * z / n, -(2 * p + z * z / n), p * p
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


@pytest.mark.parametrize(("k", "n"), [(8, 10), (0, 5), (34, 38), (30, 44), (1, 1)])
def test_stats001_wilson_is_the_quadratic_s_roots(k, n):
    low, high = stats.wilson(k, n, z=1.96)
    want_low, want_high = _wilson_by_quadratic(k, n)
    assert low == pytest.approx(want_low, abs=1e-12)
    assert high == pytest.approx(want_high, abs=1e-12)


def test_stats002_wilson_of_8_in_10_is_the_textbook_interval():
    low, high = stats.wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert stats.wilson(0, 0) is None


def test_stats003_two_proportions_by_hand():
    # 45/50 against 30/50: pooled 0.75, se = sqrt(0.75 * 0.25 * (1/50 + 1/50))
    # = sqrt(0.0075), z = 0.3 / sqrt(0.0075) = 2 * sqrt(3)
    z = 2 * math.sqrt(3)
    assert stats.two_proportions(45, 50, 30, 50) == pytest.approx(
        math.erfc(z / math.sqrt(2)), rel=1e-12
    )
    assert stats.two_proportions(45, 50, 30, 50) == pytest.approx(0.000532, abs=1e-6)
    assert stats.two_proportions(5, 5, 7, 7) == 1.0  # no spread at all
    assert stats.two_proportions(1, 0, 1, 2) is None


def test_stats004_normal_p_at_the_95_percent_point():
    assert stats.normal_p(1.959964) == pytest.approx(0.05, abs=1e-6)
    assert stats.normal_p(0) == 1.0


def _t_tail_by_simpson(t: float, df: float, steps: int = 20_000) -> float:
    """2 * P(T > |t|) as 1 - the integral of Student's density over [-|t|, |t|]."""
    norm = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))

    def pdf(x):
        return norm * (1 + x * x / df) ** (-(df + 1) / 2)

    h = 2 * abs(t) / steps
    total = pdf(-abs(t)) + pdf(abs(t))
    for i in range(1, steps):
        total += (4 if i % 2 else 2) * pdf(-abs(t) + i * h)
    return 1 - total * h / 3


@pytest.mark.parametrize(
    ("t", "df"), [(1.0, 1), (2.228, 10), (-1.897, 5.88), (0.5, 37)]
)
def test_stats005_student_p_matches_the_integrated_density(t, df):
    assert stats.student_p(t, df) == pytest.approx(_t_tail_by_simpson(t, df), abs=1e-7)


def test_stats006_student_p_at_table_values():
    assert stats.student_p(1.0, 1) == pytest.approx(0.5, abs=1e-12)  # Cauchy
    assert stats.student_p(2.228, 10) == pytest.approx(0.05, abs=1e-4)


def test_stats007_welch_by_hand():
    # means 3 and 6; variances 2.5 and 10; se^2 = 0.5 + 2; t = -3 / sqrt(2.5)
    # df = 2.5^2 / (0.5^2 / 4 + 2^2 / 4) = 6.25 / 1.0625
    t, df = -3 / math.sqrt(2.5), 6.25 / 1.0625
    got = stats.welch([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])
    assert got == pytest.approx(_t_tail_by_simpson(t, df), abs=1e-7)
    assert stats.welch([4], [1, 2]) is None
    assert stats.welch([3, 3], [3, 3]) == 1.0


def _u_by_pairs(a, b) -> float:
    """U of `a`: the pairs in which a's value is larger, ties counting a half."""
    return sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in a for y in b)


def test_stats008_mann_whitney_by_hand():
    # U = 0, mean 4.5, variance 3 * 3 * 7 / 12 = 5.25
    assert _u_by_pairs([1, 2, 3], [4, 5, 6]) == 0
    z = -4.5 / math.sqrt(5.25)
    assert stats.mann_whitney([1, 2, 3], [4, 5, 6]) == pytest.approx(
        math.erfc(abs(z) / math.sqrt(2)), rel=1e-12
    )


def test_stats009_mann_whitney_with_ties_by_hand():
    # ranks 1.5 1.5 3.5 3.5 5.5 5.5; U = 0.5; three tied pairs: sum(t^3 - t) = 18;
    # variance 9 / 12 * (7 - 18 / 30) = 4.8
    a, b = [1, 1, 2], [2, 3, 3]
    assert _u_by_pairs(a, b) == 0.5
    z = (0.5 - 4.5) / math.sqrt(4.8)
    assert stats.mann_whitney(a, b) == pytest.approx(
        math.erfc(abs(z) / math.sqrt(2)), rel=1e-12
    )
    assert stats.mann_whitney([2, 2], [2]) == 1.0
    assert stats.mann_whitney([], [1, 2]) is None
