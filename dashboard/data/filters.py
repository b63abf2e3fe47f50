"""The Filters value (month, agent, category, status), how raw input becomes one,
and how it becomes WHERE conditions with bound parameters."""

import re
from dataclasses import asdict, dataclass

from sqlalchemy import select

from dashboard.data.facts import Facts
from dashboard.data.schema import CATEGORIES, STATUSES

_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
_AGENT_ID = re.compile(r"^[0-9]+$")


def _category(text: str) -> str:
    """The category `text` names, in any letter case ("bug report" is "Bug report");
    text that names none is kept as typed, for the check to refuse."""
    text = text.strip()
    same = [c for c in CATEGORIES if c.casefold() == text.casefold()]
    return same[0] if len(same) == 1 else text


class FilterError(ValueError):
    """A filter value that cannot be used; the message names the filter and the fix."""


@dataclass(frozen=True)
class Filters:
    """Which tickets a report covers; every field is optional (None = all).

    month: 'YYYY-MM', the calendar month of the ticket's first message.
    agent: agent_id; tickets that agent sent at least one message on.
    category, status: the ticket's category and status.
    """

    month: str | None = None
    agent: int | None = None
    category: str | None = None
    status: str | None = None

    def __post_init__(self):
        if self.month is not None and not _MONTH.match(self.month):
            raise FilterError(f"month must look like 2025-03, not {self.month!r}")
        if self.agent is not None and (
            isinstance(self.agent, bool)
            or not isinstance(self.agent, int)
            or self.agent < 1
        ):
            raise FilterError(f"agent must be a positive agent id, not {self.agent!r}")
        if self.category is not None and self.category not in CATEGORIES:
            raise FilterError(
                f"category must be one of {', '.join(CATEGORIES)}; "
                f"not {self.category!r}"
            )
        if self.status is not None and self.status not in STATUSES:
            raise FilterError(
                f"status must be one of {', '.join(STATUSES)}; not {self.status!r}"
            )

    @classmethod
    def parse(cls, month=None, agent=None, category=None, status=None) -> "Filters":
        """Filters from text input (CLI flags, URL query); blank means 'all'."""

        def blank(v):
            return v is None or (isinstance(v, str) and not v.strip())

        if not blank(agent) and not isinstance(agent, int):
            text = str(agent).strip()
            if not _AGENT_ID.match(text):  # ASCII digits: isdigit() takes "²"
                raise FilterError(f"agent must be a positive agent id, not {text!r}")
            agent = int(text)
        return cls(
            month=None if blank(month) else str(month).strip(),
            agent=None if blank(agent) else agent,
            category=None if blank(category) else _category(str(category)),
            status=None if blank(status) else str(status).strip(),
        )

    def is_empty(self) -> bool:
        return self == Filters()

    def as_dict(self) -> dict:
        """The set filters only, e.g. for a URL query or a file name."""
        return {k: v for k, v in asdict(self).items() if v is not None}


_COLUMN = {
    "month": "opened_month",
    "category": "ticket_category",
    "status": "ticket_status",
}


def columns_needed(filters: Filters) -> set[str]:
    """The per-ticket facts `conditions` reads for these filters."""
    return {"ticket_id"} | {
        column
        for field, column in _COLUMN.items()
        if getattr(filters, field) is not None
    }


def conditions(filters: Filters, facts: Facts, tickets=None) -> list:
    """WHERE conditions on `tickets` (default: facts.tickets) selecting the tickets the
    filters cover."""
    t = (facts.tickets if tickets is None else tickets).c
    out = [
        t[column] == getattr(filters, field)
        for field, column in _COLUMN.items()
        if getattr(filters, field) is not None
    ]
    if filters.agent is not None:
        at = facts.agent_tickets.c
        worked = select(at.ticket_id).where(at.agent_id == filters.agent)
        out.append(t.ticket_id.in_(worked))
    return out


def ticket_ids(filters: Filters, facts: Facts):
    """A subquery of the covered ticket ids, or None when every ticket is covered."""
    if filters.is_empty():
        return None
    t = facts.tickets_with(columns_needed(filters))
    return select(t.c.ticket_id).where(*conditions(filters, facts, t))
