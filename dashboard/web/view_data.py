"""What one view of the dashboard needs from the facts store, fetched in one go.

The UI's only door to the data: run each shown report once on the store for the
chosen filters, side by side and all on the same data version (store.read_all).
The reports over time are kept by day when the filters cover a month or less, and
the agent charts compare every agent on the other filters (the chosen agent is
highlighted there, never shown alone). The store is loaded and refreshed by the
background loader (loader.py), never here, so a view never waits for the support
database.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import pandas as pd
from sqlalchemy import select

from dashboard.data.facts import agent_labels
from dashboard.data.filters import Filters
from dashboard.data.reports import (
    OVER_TIME,
    PER_AGENT,
    REPORTS,
    period,
    ticket_samples,
)
from dashboard.engine.store import FactsStore

# The page shows every report: the KPIs (summary), the charts, the queue (backlog,
# open-by-age) and the leaderboard. Named from the reports, not the chart registry,
# so what is fetched does not depend on how it is drawn.
SHOWN_REPORTS = tuple(REPORTS)


@dataclass(frozen=True)
class Choices:
    """What the month and agent filters offer: every month with tickets, every agent."""

    months: tuple[str, ...] = ()  # 'YYYY-MM', oldest first
    agents: tuple[tuple[int, str], ...] = ()  # (agent_id, label), by label
    loaded: bool = False  # False while the database has never been read

    @property
    def agent_ids(self) -> frozenset[int] | None:
        """The agent ids that exist; None when not known yet."""
        return frozenset(a for a, _ in self.agents) if self.loaded else None

    def agent_label(self, agent_id: int | None) -> str | None:
        return dict(self.agents).get(agent_id)


@dataclass(frozen=True)
class ViewData:
    """Everything the page shows for one set of filters."""

    filters: Filters
    frames: Mapping[str, pd.DataFrame] = field(default_factory=dict)  # by report
    previous: pd.DataFrame | None = None  # summary of the month before, if any
    # a row per ticket of the chosen month and of the one before, for the KPI
    # changes' tests (reports.ticket_samples); None without a month
    samples: tuple[pd.DataFrame, pd.DataFrame] | None = None
    choices: Choices = field(default_factory=Choices)
    newest_message_at: datetime | None = None
    error: str | None = None  # why the database could not be read just now
    period: str = "month"  # what the reports over time are kept by: month or day

    @property
    def stale(self) -> bool:
        """Data is shown although the last attempt to read the database failed."""
        return self.error is not None and bool(self.frames)


def previous_month(month: str) -> str:
    """'2025-03' -> '2025-02'; '2025-01' -> '2024-12'."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def _agents(reader, facts):
    a = facts.agents.c
    return reader.rows(select(a.agent_id, a.agent_first_name, a.agent_last_name))


def _months(reader, facts):
    month = facts.tickets.c.opened_month
    stmt = select(month).where(month.is_not(None)).distinct().order_by(month)
    return [m for (m,) in reader.rows(stmt)]


def agent_choices(rows) -> tuple[tuple[int, str], ...]:
    """(id, first, last) rows -> (id, label) by label (facts.agent_labels)."""
    names = {int(agent_id): f"{first} {last}".strip() for agent_id, first, last in rows}
    labelled = zip(names, agent_labels(names.items()), strict=True)
    return tuple(sorted(labelled, key=lambda item: (item[1].casefold(), item[0])))


def choices(store: FactsStore) -> Choices:
    """The filter choices from the store (once per data version)."""
    if store.fingerprint is None:
        return Choices()
    return store.memo(
        "choices",
        lambda: Choices(
            months=tuple(store.read(_months)),
            agents=agent_choices(store.read(_agents)),
            loaded=True,
        ),
    )


def _report(name: str, filters: Filters, options: dict, reader, facts):
    return REPORTS[name](reader, filters, facts, **options)


def _samples(filters: Filters, reader, facts):
    return ticket_samples(reader, filters, facts)


def load(store: FactsStore, filters: Filters, error: str | None = None) -> ViewData:
    """Every shown report once for `filters` (and the summary of the previous month
    when a month is chosen, for the KPI changes), all on one data version; `error`
    is why the support database could not be read lately (the loader's)."""
    if store.fingerprint is None:  # never read: nothing to show but the reason
        return ViewData(filters, error=error)

    team = replace(filters, agent=None)
    by = store.read(lambda reader, facts: period(reader, filters, facts))
    queries = {
        name: functools.partial(
            _report,
            name,
            team if name in PER_AGENT else filters,
            {"by": by} if name in OVER_TIME else {},
        )
        for name in SHOWN_REPORTS
    }
    if filters.month:
        before = replace(filters, month=previous_month(filters.month))
        queries["previous"] = functools.partial(_report, "summary", before, {})
        queries["samples"] = functools.partial(_samples, filters)
        queries["previous_samples"] = functools.partial(_samples, before)
    frames = store.read_all(queries)
    previous = frames.pop("previous", None)
    samples = None
    if filters.month:
        samples = (frames.pop("samples"), frames.pop("previous_samples"))
    return ViewData(
        filters=filters,
        frames=frames,
        previous=previous,
        samples=samples,
        choices=choices(store),
        newest_message_at=store.meta.newest_message_at,
        error=error,
        period=by,
    )
