"""What one view of the dashboard needs from the report engine, fetched in one go.

The UI's only door to the data: bring the facts cache up to date (one cheap question
to the database, plus the changed tickets), then run each shown report once on the
cache for the chosen filters. A database that cannot be used becomes a message for
the page, never an exception in a callback.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from dashboard.cache import FactsCache
from dashboard.db import DatabaseError, check_schema, friendly_error
from dashboard.figures import CHARTS
from dashboard.filters import Filters

log = logging.getLogger(__name__)

SHOWN_REPORTS = ("summary",) + tuple(chart.report for chart in CHARTS)


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
class Snapshot:
    """Everything the page shows for one set of filters."""

    filters: Filters
    frames: Mapping[str, pd.DataFrame] = field(default_factory=dict)  # by report
    previous: pd.DataFrame | None = None  # summary of the month before, if any
    choices: Choices = field(default_factory=Choices)
    newest_message_at: datetime | None = None
    error: str | None = None  # why the database could not be read just now

    @property
    def stale(self) -> bool:
        """Data is shown although the last attempt to read the database failed."""
        return self.error is not None and bool(self.frames)


def previous_month(month: str) -> str:
    """'2025-03' -> '2025-02'; '2025-01' -> '2024-12'."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def refresh(cache: FactsCache, url: URL | None) -> str | None:
    """Bring the cache up to date; the reason as a sentence if the database failed."""
    try:
        cache.refresh()
    except SQLAlchemyError as exc:
        log.warning("database refresh failed: %s", exc)
        try:  # a missing table is reported by the driver as an error, too
            check_schema(cache.source, url)
        except DatabaseError as reason:
            return str(reason)
        return str(friendly_error(exc, url))
    return None


def _agents(conn, rel):
    a = rel.agents.c
    return conn.execute(select(a.agent_id, a.agent_first_name, a.agent_last_name)).all()


def _months(conn, rel):
    month = rel.tickets.c.opened_month
    stmt = select(month).where(month.is_not(None)).distinct().order_by(month)
    return conn.execute(stmt).scalars().all()


def agent_labels(rows) -> tuple[tuple[int, str], ...]:
    """(id, 'First Last') rows -> (id, label) by label; '(#id)' for shared names."""
    names = {int(agent_id): f"{first} {last}".strip() for agent_id, first, last in rows}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    labelled = [
        (agent_id, f"{name} (#{agent_id})" if counts[name] > 1 else name)
        for agent_id, name in names.items()
    ]
    return tuple(sorted(labelled, key=lambda item: (item[1].casefold(), item[0])))


def choices(cache: FactsCache) -> Choices:
    """The filter choices from the cache (no database round trip)."""
    if cache.fingerprint is None:
        return Choices()
    return Choices(
        months=tuple(cache.read(_months)),
        agents=agent_labels(cache.read(_agents)),
        loaded=True,
    )


def load(
    cache: FactsCache,
    filters: Filters,
    url: URL | None,
    *,
    refreshed: bool = False,
    error: str | None = None,
) -> Snapshot:
    """Refresh, then run every shown report once for `filters` (and the summary of
    the previous month when a month is chosen, for the KPI changes).

    `refreshed`: the caller has just refreshed the cache (the live-refresh tick),
    which reported `error`; the database is not asked again."""
    if not refreshed:
        error = refresh(cache, url)
    if cache.fingerprint is None:  # never read: nothing to show but the reason
        return Snapshot(filters, error=error)
    frames = {name: cache.run(name, filters) for name in SHOWN_REPORTS}
    previous = None
    if filters.month:
        before = replace(filters, month=previous_month(filters.month))
        previous = cache.run("summary", before)
    return Snapshot(
        filters=filters,
        frames=frames,
        previous=previous,
        choices=choices(cache),
        newest_message_at=cache.fingerprint.newest_message_at,
        error=error,
    )
