"""The headline numbers: the KPI cards (each a column of the `summary` report, how it
is written, and how its change against the previous month reads) and the queue
card's numbers (columns of `backlog`). components.py lays them out as cards."""

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.data import formats
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
    ),
    Kpi(
        "avg_resolution_time",
        "Avg resolution",
        theme.hours,
        "lower",
        "percent",
        "resolved_tickets",
        "Average time from a resolved ticket's first message to its last",
    ),
    Kpi(
        "median_resolution_time",
        "Median resolution",
        theme.hours,
        "lower",
        "percent",
        "resolved_tickets",
        "Half of the resolved tickets took less than this",
    ),
    Kpi(
        "median_first_response",
        "Median first response",
        theme.hours,
        "lower",
        "percent",
        "answered_tickets",
        "Median time from the customer's first message to the first agent reply",
    ),
    Kpi(
        "avg_rating",
        "Avg rating",
        theme.rating,
        "higher",
        "plain",
        "rated_tickets",
        "Average customer rating of rated tickets, 1 (poor) to 5 (excellent)",
    ),
    Kpi(
        "csat",
        "CSAT",
        theme.share,
        "higher",
        "points",
        "rated_tickets",
        "Customer satisfaction: share of rated tickets rated 4 or 5",
    ),
    Kpi(
        "multi_agent_share",
        "Multi-agent",
        theme.share,
        "lower",
        "points",
        "resolved_tickets",
        "Share of resolved tickets that needed two or more agents",
    ),
)

UP, DOWN = "▲", "▼"
MIN_CHANGE_BASIS = 20  # tickets both months need for a change to be shown


@dataclass(frozen=True)
class Delta:
    """A KPI's change against the previous month, ready to show."""

    text: str  # "▲ 12.5%", "▼ 3.0 pts", "▲ 0.12", "± 0%", "n/a"
    tone: str  # "better", "worse", "neutral" or "none" (nothing to compare)
    title: str  # the two values compared, for the tooltip

    @property
    def class_name(self) -> str:
        return {
            "better": "text-success",
            "worse": "text-danger",
            "neutral": "text-secondary",
            "none": "text-body-tertiary",
        }[self.tone]


def delta(
    kpi: Kpi,
    current,
    previous,
    previous_month: str,
    basis: tuple[int, int] | None = None,
) -> Delta:
    """How `current` compares with `previous` (the month before), coloured by
    whether the change is good for this KPI (for times, lower is better). `basis`:
    how many tickets each month's number is taken over; with fewer than
    MIN_CHANGE_BASIS in either, the change is not shown (it would be noise)."""
    before = month_name(previous_month)
    if formats.missing(current) or formats.missing(previous):
        return Delta("n/a", "none", f"Nothing to compare with in {before}")
    title = f"{before}: {kpi.fmt(previous)}"
    if basis is not None:
        now, then = basis
        title += f" (over {then:,} tickets; this month {now:,})"
        if min(now, then) < MIN_CHANGE_BASIS:
            return Delta(
                "n/a",
                "none",
                f"{title}. A change is shown when both months have at least "
                f"{MIN_CHANGE_BASIS} tickets to compare.",
            )
    change = float(current) - float(previous)
    zero = {"points": "± 0 pts", "plain": "± 0", "percent": "± 0%"}[kpi.change]
    if abs(change) < 1e-9:
        return Delta(zero, "neutral", title)
    arrow = UP if change > 0 else DOWN
    if kpi.better is None:
        tone = "neutral"
    else:
        tone = "better" if (change > 0) == (kpi.better == "higher") else "worse"
    if kpi.change == "points":
        text = f"{arrow} {abs(change) * 100:.1f} pts"
    elif kpi.change == "plain":
        text = f"{arrow} {abs(change):.2f}"
    elif float(previous) == 0:
        text = f"{arrow} new"
    else:
        pct = abs(change) / abs(float(previous)) * 100
        text = f"{arrow} {pct:.1f}%" if pct < 100 else f"{arrow} {pct:,.0f}%"
    return Delta(text, tone, title)


# The queue card's numbers: (backlog column, label, format, what it counts).
QUEUE_NUMBERS = (
    ("open_tickets", "Open", theme.count, "Tickets not resolved yet"),
    (
        "never_answered",
        "Never answered",
        theme.count,
        "Open tickets no agent has replied to yet",
    ),
    (
        "waiting_on_agent",
        "Waiting on an agent",
        theme.count,
        "Open tickets whose last message is the customer's",
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
