"""Whether a change between two months could be chance: the tests the KPI badges
state, with their normal (or Student t) approximations written out, so that no
statistics package is needed.

Each test returns a two-sided p-value, or None when a month has too few values to
test; a change is called significant at p < ALPHA.
"""

import math
from collections.abc import Sequence

ALPHA = 0.05
Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


def normal_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2))


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval (95% by default) of a share `successes` / `n`."""
    if n <= 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def two_proportions(k1: int, n1: int, k2: int, n2: int) -> float | None:
    """Two-proportion z-test (pooled): p-value of k1/n1 against k2/n2."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (k1 + k2) / (n1 + n2)
    spread = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if spread == 0:
        return 1.0  # both all successes or all failures: no difference at all
    return normal_p((k1 / n1 - k2 / n2) / math.sqrt(spread))


def two_counts(k1: int, k2: int) -> float | None:
    """Two counts of events over equal spans (Poisson): is one rate higher? The
    normal approximation of the conditional test, z = (k1 - k2) / sqrt(k1 + k2)."""
    if k1 + k2 <= 0:
        return None
    return normal_p((k1 - k2) / math.sqrt(k1 + k2))


def _mean_var(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    mean = sum(values) / n
    return mean, sum((v - mean) ** 2 for v in values) / (n - 1)


def welch(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Welch's t-test of two means (unequal variances): its p-value."""
    if len(a) < 2 or len(b) < 2:
        return None
    (ma, va), (mb, vb) = _mean_var(a), _mean_var(b)
    sa, sb = va / len(a), vb / len(b)
    if sa + sb == 0:
        return 1.0 if ma == mb else 0.0
    t = (ma - mb) / math.sqrt(sa + sb)
    df = (sa + sb) ** 2 / (sa**2 / (len(a) - 1) + sb**2 / (len(b) - 1))
    return student_p(t, df)


def student_p(t: float, df: float) -> float:
    """Two-sided p-value of Student's t with `df` degrees of freedom:
    I_x(df/2, 1/2) with x = df / (df + t^2)."""
    return _incomplete_beta(df / 2, 0.5, df / (df + t * t))


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), by its continued
    fraction (Lentz's method, as in Numerical Recipes' betacf)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        + a * math.log(x)
        + b * math.log(1 - x)
    )
    if x > (a + 1) / (a + b + 2):  # the fraction converges fast on this side only
        return 1 - _incomplete_beta(b, a, 1 - x)
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-12:
            break
    return front * result / a


def mann_whitney(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Mann-Whitney U test (a rank test: do values of one month tend to be larger?),
    by the normal approximation with the tie correction: its p-value."""
    n1, n2 = len(a), len(b)
    if n1 < 1 or n2 < 1 or n1 + n2 < 3:
        return None
    pooled = sorted([(v, 0) for v in a] + [(v, 1) for v in b])
    ranks_a, ties, i = 0.0, 0.0, 0
    while i < len(pooled):
        j = i
        while j < len(pooled) and pooled[j][0] == pooled[i][0]:
            j += 1
        rank = (i + 1 + j) / 2  # the average rank of a tied run
        ranks_a += rank * sum(1 for _v, side in pooled[i:j] if side == 0)
        ties += (j - i) ** 3 - (j - i)
        i = j
    u = ranks_a - n1 * (n1 + 1) / 2
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return 1.0  # every value the same
    return normal_p((u - n1 * n2 / 2) / math.sqrt(variance))
