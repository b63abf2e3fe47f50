"""Filters compiled to WHERE conditions, table-driven as datasette's filter tests are:
the columns each filter reads, the SQL text with its bound parameters, and the ticket
ids selected on the tiny database (ids worked out by hand from tests/tiny.py)."""

import pytest
from sqlalchemy import create_engine

from dashboard.data.facts import DIRECT, STORED
from dashboard.data.filters import Filters, columns_needed, conditions, ticket_ids
from dashboard.data.schema import metadata
from dashboard.engine.store import FactsStore
from tests import tiny

AGENT_SUBQUERY = (
    "tickets.ticket_id IN (SELECT ticket_agents.ticket_id FROM ticket_agents "
    "WHERE ticket_agents.agent_id = :agent_id_1)"
)


def sql(clause) -> str:
    """The compiled SQL on one line."""
    return " ".join(str(clause).split())


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), {"ticket_id"}),
        (Filters(month="2025-01"), {"ticket_id", "opened_month"}),
        (Filters(category="Bug report"), {"ticket_id", "ticket_category"}),
        (Filters(status="open"), {"ticket_id", "ticket_status"}),
        # the agent filter reads agent_tickets, not a per-ticket fact
        (Filters(agent=2), {"ticket_id"}),
        (
            Filters(month="2025-02", agent=1, category="Wrong order", status="open"),
            {"ticket_id", "opened_month", "ticket_category", "ticket_status"},
        ),
    ],
)
def test_flt001_columns_needed(filters, expected):
    assert columns_needed(filters) == expected


@pytest.mark.parametrize(
    ("filters", "expected_where", "expected_params"),
    [
        (Filters(), [], {}),
        (
            Filters(month="2025-01"),
            ["tickets.opened_month = :opened_month_1"],
            {"opened_month_1": "2025-01"},
        ),
        (
            Filters(category="Bug report"),
            ["tickets.ticket_category = :ticket_category_1"],
            {"ticket_category_1": "Bug report"},
        ),
        (
            Filters(status="resolved"),
            ["tickets.ticket_status = :ticket_status_1"],
            {"ticket_status_1": "resolved"},
        ),
        (Filters(agent=3), [AGENT_SUBQUERY], {"agent_id_1": 3}),
        (
            Filters(month="2025-02", agent=1, category="Wrong order", status="open"),
            [
                "tickets.opened_month = :opened_month_1",
                "tickets.ticket_category = :ticket_category_1",
                "tickets.ticket_status = :ticket_status_1",
                AGENT_SUBQUERY,
            ],
            {
                "opened_month_1": "2025-02",
                "ticket_category_1": "Wrong order",
                "ticket_status_1": "open",
                "agent_id_1": 1,
            },
        ),
    ],
)
def test_flt002_conditions_compile_to_bound_sql(
    filters, expected_where, expected_params
):
    compiled = [c.compile() for c in conditions(filters, STORED)]
    assert [sql(c) for c in compiled] == expected_where
    params = {k: v for c in compiled for k, v in c.params.items()}
    assert params == expected_params
    text = " ".join(sql(c) for c in compiled)
    for value in expected_params.values():  # bound, never spliced in as a literal
        assert f"'{value}'" not in text


def test_flt003_conditions_read_the_table_they_are_given():
    """`tickets` replaces facts.tickets, so a report can filter a narrower table."""
    narrow = STORED.tickets.alias("narrow")
    (where,) = conditions(Filters(status="open"), STORED, narrow)
    assert sql(where.compile()) == "narrow.ticket_status = :ticket_status_1"


def test_flt004_no_filters_cover_every_ticket():
    assert ticket_ids(Filters(), DIRECT) is None
    assert ticket_ids(Filters(), STORED) is None


# (filters, the tiny database's ticket ids they cover), by hand from tests/tiny.py:
# T1 Jan Bug resolved agent 1; T2 Jan Bug resolved agents 1, 2; T3 Feb Wrong order
# resolved agent 3; T4 Feb Account access open agent 2; T5 Feb Bug open, no agent.
COVERED = [
    (Filters(month="2025-01"), {1, 2}),
    (Filters(month="2025-02"), {3, 4, 5}),
    (Filters(month="2025-03"), set()),
    (Filters(agent=1), {1, 2}),
    (Filters(agent=2), {2, 4}),
    (Filters(agent=3), {3}),  # the other "Ann Lee": kept apart from agent 1
    (Filters(agent=99), set()),
    (Filters(category="Bug report"), {1, 2, 5}),
    (Filters(category="Account access"), {4}),
    (Filters(category="Undelivered goods"), set()),
    (Filters(status="resolved"), {1, 2, 3}),
    (Filters(status="open"), {4, 5}),
    (Filters(month="2025-02", status="open"), {4, 5}),
    (Filters(month="2025-01", agent=2), {2}),
    (Filters(agent=1, category="Bug report", status="resolved"), {1, 2}),
    (Filters(agent=3, status="open"), set()),
    (Filters(month="2025-01", category="Wrong order"), set()),
    (
        Filters(month="2025-02", agent=2, category="Account access", status="open"),
        {4},
    ),
]


@pytest.mark.parametrize(("filters", "expected"), COVERED)
def test_flt005_ticket_ids_on_the_support_tables(tiny_engine, filters, expected):
    with tiny_engine.connect() as conn:
        got = conn.execute(ticket_ids(filters, DIRECT)).scalars().all()
    assert sorted(got) == sorted(expected)


@pytest.fixture(scope="module")
def tiny_store():
    """The facts store loaded from the tiny database, once for the module."""
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        tiny.build(conn)
    store = FactsStore(engine)
    assert store.refresh()
    yield store
    engine.dispose()


@pytest.mark.parametrize(("filters", "expected"), COVERED)
def test_flt006_ticket_ids_on_the_facts_store(tiny_store, filters, expected):
    got = tiny_store.read(lambda reader, facts: reader.rows(ticket_ids(filters, facts)))
    assert sorted(t for (t,) in got) == sorted(expected)


def test_flt007_ticket_ids_select_the_ticket_id_of_the_filtered_tickets():
    query = ticket_ids(Filters(status="open"), STORED)
    assert sql(query.compile()) == (
        "SELECT tickets.ticket_id FROM tickets "
        "WHERE tickets.ticket_status = :ticket_status_1"
    )
