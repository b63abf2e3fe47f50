"""The chart registry: which report each chart card shows, under what title, drawn by
which builder (figures.py), and which filter a click on one of its points sets."""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.ui import figures
from dashboard.ui.figures import Figure, Scope


@dataclass(frozen=True)
class Chart:
    """A chart card: its report (also its id), title, builder and drill-down field."""

    report: str
    title: str
    build: Callable[[pd.DataFrame, Scope], Figure]
    drill: str | None = None  # the Filters field a click on a point sets


CHARTS: tuple[Chart, ...] = (
    Chart(
        "ticket-volume", "Tickets opened and resolved", figures.ticket_volume, "month"
    ),
    Chart(
        "resolution-time-by-month",
        "Resolution time trend",
        figures.resolution_time_by_month,
        "month",
    ),
    Chart("resolution-time", "How long resolution takes", figures.resolution_time),
    Chart(
        "first-response-time",
        "First response trend",
        figures.first_response_time,
        "month",
    ),
    Chart("agents-per-ticket", "Agents involved per ticket", figures.agents_per_ticket),
    Chart("categories", "Tickets by category", figures.categories, "category"),
    Chart("rating-distribution", "Ratings and CSAT", figures.rating_distribution),
    Chart("tickets-per-agent", "Tickets per agent", figures.tickets_per_agent, "agent"),
    Chart(
        "agent-ratings", "Customer ratings per agent", figures.agent_ratings, "agent"
    ),
    Chart("busiest-hours", "When messages arrive", figures.busiest_hours),
)
QUEUE = Chart("open-by-age", "Open tickets by age", figures.open_by_age)
