"""The headline numbers: the KPI cards (each a column of the `summary` report, how it
is written, and how its change against the previous month reads and is tested) and
the queue card's numbers (columns of `backlog`). components.py lays them out."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dashboard.data import formats, stats
from dashboard.data.reports import month_name
from dashboard.ui import theme


@dataclass(frozen=True)
class Kpi:
    """A headline number: a column of the `summary` report and how to read it."""

    name: str  # the summary column, also the card's id name
    label: str
    fmt: Callable[[object], str]
    better: str | None  # "higher", "lower" or None (neither is better)
    change: str  # how a change reads: "percent", "points" (shares) or "plain"
    basis: str  # the summary column counting what the number is taken over
    hint: str
    # How a change is tested (TESTS): "count", "share", "mean" or "median", the
    # last two on the reports.ticket_samples column `sample`.
    test: str = "count"
    sample: str | None = None


KPIS: tuple[Kpi, ...] = (
    Kpi(
        "tickets", "Tickets", theme.count, None, "percent", "tickets", "Tickets opened"
    ),
    Kpi(
        "open_tickets",
        "Open",
        theme.count,
        "lower",
        "percent",
        "tickets",
        "Tickets not resolved yet",
    ),
    Kpi(
        "resolved_share",
        "Resolved",
        theme.share,
        "higher",
        "points",
        "tickets",
        "Share of tickets that are resolved",
        "share",
    ),
    Kpi(
        "avg_resolution_time",
        "Avg resolution",
        theme.hours,
        "lower",
        "percent",
        "resolved_tickets",
        "Average time from a resolved ticket's first message to its last",
        "mean",
        "resolution_hours",
    ),
    Kpi(
        "median_resolution_time",
        "Median resolution",
        theme.hours,
        "lower",
        "percent",
        "resolved_tickets",
        "Half of the resolved tickets took less than this",
        "median",
        "resolution_hours",
    ),
    Kpi(
        "median_first_response",
        "Median first response",
        theme.hours,
        "lower",
        "percent",
        "answered_tickets",
        "Median time from the customer's first message to the first agent reply",
        "median",
        "first_response_hours",
    ),
    Kpi(
        "avg_rating",
        "Avg rating",
        theme.rating,
        "higher",
        "plain",
        "rated_tickets",
        "Average customer rating of rated tickets, 1 (poor) to 5 (excellent)",
        "mean",
        "ticket_rating",
    ),
    Kpi(
        "csat",
        "CSAT",
        theme.share,
        "higher",
        "points",
        "rated_tickets",
        "Customer satisfaction: share of rated tickets rated 4 or 5",
        "share",
    ),
    Kpi(
        "multi_agent_share",
        "Multi-agent",
        theme.share,
        "lower",
        "points",
        "resolved_tickets",
        "Share of resolved tickets that needed two or more agents",
        "share",
    ),
)

# The test each kind of change is put to (named in the badge's tooltip and in the
# README's definitions): two-sided, significant at p < stats.ALPHA.
TESTS = {
    "count": "Poisson test of two counts",
    "share": "two-proportion z-test",
    "mean": "Welch's t-test",
    "median": "Mann-Whitney U test",
}

UP, DOWN = "▲", "▼"


@dataclass(frozen=True)
class Delta:
    """A KPI's change against the previous month, ready to show."""

    text: str  # "▲ 12.5%", "▼ 3.0 pts", "▲ 0.12", "± 0%", "n/a"
    tone: str  # "better", "worse", "neutral", "chance" or "none" (nothing to compare)
    title: str  # the two values compared and the test, for the tooltip
    detail: str = ""  # the sample sizes and the verdict: "n 38 vs 44 · could be chance"

    @property
    def class_name(self) -> str:
        return {
            "better": "text-success",
            "worse": "text-danger",
            "neutral": "text-secondary",
            "chance": "text-secondary",
            "none": "text-body-tertiary",
        }[self.tone]


def p_value(
    kpi: Kpi,
    current,
    previous,
    basis: tuple[int, int],
    samples: tuple[Sequence[float], Sequence[float]] | None,
) -> float | None:
    """The p-value of the change under the KPI's test (None: not tested, or too few
    values). A share's successes are its value times its basis, rounded."""
    if kpi.test == "count":
        return stats.two_counts(int(current), int(previous))
    if kpi.test == "share":
        now, then = basis
        return stats.two_proportions(
            round(float(current) * now), now, round(float(previous) * then), then
        )
    if samples is None:
        return None
    test = stats.welch if kpi.test == "mean" else stats.mann_whitney
    return test(*samples)


def _change_text(kpi: Kpi, change: float, previous: float) -> str:
    arrow = UP if change > 0 else DOWN
    if abs(change) < 1e-9:
        return {"points": "± 0 pts", "plain": "± 0", "percent": "± 0%"}[kpi.change]
    if kpi.change == "points":
        return f"{arrow} {abs(change) * 100:.1f} pts"
    if kpi.change == "plain":
        return f"{arrow} {abs(change):.2f}"
    if previous == 0:
        return f"{arrow} new"
    pct = abs(change) / abs(previous) * 100
    return f"{arrow} {pct:.1f}%" if pct < 100 else f"{arrow} {pct:,.0f}%"


def delta(
    kpi: Kpi,
    current,
    previous,
    previous_month: str,
    basis: tuple[int, int],
    samples: tuple[Sequence[float], Sequence[float]] | None = None,
) -> Delta:
    """How `current` compares with `previous` (the month before): the change, the
    sample sizes (`basis`: this month's, the month before's), and whether it could be
    chance under the KPI's test (on `samples`, each month's values, for a mean or a
    median). A significant change is coloured by whether it is good for this KPI
    (for times, lower is better); one that could be chance is grey."""
    before = month_name(previous_month)
    if formats.missing(current) or formats.missing(previous):
        return Delta("n/a", "none", f"Nothing to compare with in {before}")
    now, then = basis
    change = float(current) - float(previous)
    text = _change_text(kpi, change, float(previous))
    title = f"{before}: {kpi.fmt(previous)}"
    if kpi.test == "count":
        now, then = int(current), int(previous)
    p = p_value(kpi, current, previous, basis, samples)
    sizes = f"n {now:,} vs {then:,}"
    if kpi.test != "count":
        title += f", over {then:,} tickets; this month over {now:,}"
    title += f". Tested with the {TESTS[kpi.test]}"
    if abs(change) < 1e-9:
        return Delta(text, "neutral", f"{title}: no change.", f"{sizes} · no change")
    if p is None:
        return Delta(text, "chance", f"{title}: too few to test.", f"{sizes} · too few")
    title += f": p = {p:.3f}"
    if p >= stats.ALPHA:
        return Delta(
            text,
            "chance",
            f"{title}, could be chance (p ≥ {stats.ALPHA}).",
            f"{sizes} · could be chance",
        )
    if kpi.better is None:
        tone = "neutral"
    else:
        tone = "better" if (change > 0) == (kpi.better == "higher") else "worse"
    return Delta(
        text,
        tone,
        f"{title}, significant (p < {stats.ALPHA}).",
        f"{sizes} · significant",
    )


# The queue card's numbers: (backlog column, label, format, what it counts). Open =
# waiting on an agent + waiting on the customer; never answered is a part of
# waiting on an agent, so the card shows it inside that tile (QUEUE_PARTS).
QUEUE_NUMBERS = (
    ("open_tickets", "Open", theme.count, "Tickets not resolved yet"),
    (
        "waiting_on_agent",
        "Waiting on an agent",
        theme.count,
        "Open tickets whose last message is the customer's",
    ),
    (
        "never_answered",
        "never answered",
        theme.count,
        "Open tickets no agent has replied to yet: they are waiting on an agent too",
    ),
    (
        "waiting_on_customer",
        "Waiting on the customer",
        theme.count,
        "Open tickets whose last message is an agent's",
    ),
    (
        "oldest_wait_hours",
        "Longest wait",
        theme.hours,
        "How long the customer who has waited longest for an agent has waited, "
        "up to the newest message",
    ),
)


def queue_values(row) -> dict:
    """The queue card's numbers, written out, from a `backlog` row (None: dashes)."""
    return {
        name: formats.DASH if row is None else fmt(row[name])
        for name, _label, fmt, _hint in QUEUE_NUMBERS
    }
