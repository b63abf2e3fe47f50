"""The chart registry: which report each chart card shows, under what title and what
line saying what is drawn, by which builder (figures.py), and which filter a click on
one of its points sets.

A description names no unit (the axes do, in the unit their values call for) and,
for a chart over time, says `{period}` where the period goes: the page fills in
"month" or "day", as the charts are drawn (reports.period)."""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.data.reports import OVER_TIME
from dashboard.ui import figures
from dashboard.ui.figures import Figure, Scope


@dataclass(frozen=True)
class Chart:
    """A chart card: its report (also its id), title, what is drawn, builder and
    drill-down field."""

    report: str
    title: str
    description: str  # what is drawn, with {period} in the charts over time
    build: Callable[[pd.DataFrame, Scope], Figure]
    drill: str | None = None  # the Filters field a click on a point sets

    def describe(self, period: str = "month") -> str:
        """The description for charts kept by `period` ("month" or "day")."""
        if self.report in OVER_TIME:
            return self.description.format(period=period)
        return self.description


CHARTS: tuple[Chart, ...] = (
    Chart(
        "ticket-volume",
        "Tickets opened and resolved",
        "Tickets opened per {period} (the {period} of their first message) and "
        "tickets resolved per {period} (the {period} of their last message), side "
        "by side.",
        figures.ticket_volume,
        "month",
    ),
    Chart(
        "resolution-time-by-month",
        "Resolution time trend",
        "How long the resolved tickets opened in each {period} took to resolve, "
        "from first message to last: median, average and 90th percentile ({period}s "
        f"with fewer than {figures.MIN_TREND_TICKETS} of them are left out).",
        figures.resolution_time_by_month,
        "month",
    ),
    Chart(
        "resolution-time",
        "How long resolution takes",
        "How long resolved tickets took to resolve, from a ticket's first message "
        "to its last: fastest, median, average, 90th percentile and slowest.",
        figures.resolution_time,
    ),
    Chart(
        "first-response-time",
        "First response trend",
        "Median, average and 90th percentile time from the customer's first message "
        "to the first agent reply, for the answered tickets opened in each "
        f"{{period}} ({{period}}s with fewer than {figures.MIN_TREND_TICKETS} of "
        "them are left out).",
        figures.first_response_time,
        "month",
    ),
    Chart(
        "agents-per-ticket",
        "Agents involved per ticket",
        "Resolved tickets by how many different agents sent messages on them, as "
        "shares of all resolved tickets.",
        figures.agents_per_ticket,
    ),
    Chart(
        "categories",
        "Tickets by category",
        "Tickets per category, resolved and still open, most first (the average "
        "resolution time and rating are in the hover).",
        figures.categories,
        "category",
    ),
    Chart(
        "rating-distribution",
        "Ratings and CSAT",
        "Rated tickets per customer rating 1-5 and their share, and CSAT: the share "
        "of rated tickets rated 4 or 5.",
        figures.rating_distribution,
    ),
    Chart(
        "tickets-per-agent",
        "Tickets per agent",
        "Tickets each agent worked on (sent at least one message on), whatever "
        "their status, most first, against the team median.",
        figures.tickets_per_agent,
        "agent",
    ),
    Chart(
        "agent-ratings",
        "Customer ratings per agent",
        "Each agent's average customer rating over the rated tickets they worked "
        "on, with their lowest to highest rating, best first.",
        figures.agent_ratings,
        "agent",
    ),
    Chart(
        "busiest-hours",
        "When messages arrive",
        "Messages sent by customers and agents on the covered tickets, per weekday "
        "and hour of day (in the time zone the axis names).",
        figures.busiest_hours,
    ),
)
QUEUE = Chart(
    "open-by-age",
    "Open tickets by age",
    "Open tickets by how long ago their first message was, by category.",
    figures.open_by_age,
)
