"""The mock-data generator on in-memory SQLite: sizes, determinism and the invariants
every report relies on, checked with plain SQL rather than the generator's own
numbers."""

from datetime import datetime

import pytest
from sqlalchemy import create_engine, select, text

from dashboard.schema import TABLES, metadata
from seeds import populate

SPEC_SIZES = {"AGENT": 34, "CUSTOMER": 123, "TICKET": 377, "MESSAGE": 6341}


def _populated(seed=42, scale=1.0, progress=None):
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        counts = populate(conn, seed=seed, scale=scale, progress=progress)
    return engine, counts


def _dump(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(t).order_by(*t.primary_key.columns)).all()
            for t in TABLES
        }


def _scalar(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


@pytest.fixture(scope="module")
def default():
    engine, counts = _populated()
    yield engine, counts
    engine.dispose()


@pytest.fixture(scope="module", params=[1.0, 0.05], ids=["default", "small"])
def data(request, default):
    """Engines the invariants must hold on: the default set and a tiny one."""
    if request.param == 1.0:
        yield default[0]
        return
    engine, _ = _populated(seed=3, scale=request.param)
    yield engine
    engine.dispose()


def test_default_set_has_the_spec_sizes(default):
    engine, counts = default
    for table, size in SPEC_SIZES.items():
        assert _scalar(engine, f"SELECT COUNT(*) FROM {table}") == size
    assert _scalar(engine, "SELECT COUNT(*) FROM SENDER") == 34 + 123
    assert counts == {**SPEC_SIZES, "SENDER": 157}


def test_small_scale_rounds_the_spec_sizes():
    engine, _ = _populated(scale=0.05)
    want = {
        "AGENT": round(34 * 0.05**0.5),
        "CUSTOMER": round(123 * 0.05),
        "TICKET": round(377 * 0.05),
        "MESSAGE": round(6341 * 0.05),
    }
    for table, size in want.items():
        assert _scalar(engine, f"SELECT COUNT(*) FROM {table}") == size


def test_non_positive_scale_is_refused():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn, pytest.raises(ValueError, match="scale"):
        populate(conn, scale=0)


def test_same_seed_gives_identical_rows_and_another_seed_differs(default):
    again, _ = _populated(seed=42)
    other, _ = _populated(seed=43)
    first = _dump(default[0])
    assert _dump(again) == first
    other_rows = _dump(other)
    assert all(
        other_rows[t.name] != first[t.name] for t in TABLES if t.name != "SENDER"
    )


def test_progress_reports_every_row_once():
    calls = []
    _, counts = _populated(scale=0.05, progress=lambda done, total: calls.append(done))
    total = sum(counts.values())
    assert calls == sorted(calls) and calls[-1] == total


def test_senders_match_people(data):
    # every AGENT / CUSTOMER row points at a sender of its own type, and no sender is
    # shared or left over
    assert (
        _scalar(
            data,
            "SELECT COUNT(*) FROM AGENT a JOIN SENDER s USING (sender_id)"
            " WHERE s.sender_type <> 'agent'",
        )
        == 0
    )
    assert (
        _scalar(
            data,
            "SELECT COUNT(*) FROM CUSTOMER c JOIN SENDER s USING (sender_id)"
            " WHERE s.sender_type <> 'customer'",
        )
        == 0
    )
    assert _scalar(data, "SELECT COUNT(*) FROM SENDER") == _scalar(
        data, "SELECT (SELECT COUNT(*) FROM AGENT) + (SELECT COUNT(*) FROM CUSTOMER)"
    )


def test_first_message_is_from_the_tickets_customer(data):
    with data.connect() as conn:
        firsts = conn.execute(
            text(
                "SELECT m.ticket_id, m.sender_id, c.sender_id FROM MESSAGE m"
                " JOIN TICKET t ON t.ticket_id = m.ticket_id"
                " JOIN CUSTOMER c ON c.customer_id = t.customer_id"
                " ORDER BY m.ticket_id, m.message_sent_time, m.message_id"
            )
        ).all()
    seen = set()
    for ticket_id, sender, customer_sender in firsts:
        if ticket_id not in seen:
            seen.add(ticket_id)
            assert sender == customer_sender, ticket_id
    assert len(seen) == _scalar(data, "SELECT COUNT(*) FROM TICKET")


def test_messages_come_from_the_customer_or_an_agent(data):
    assert (
        _scalar(
            data,
            "SELECT COUNT(*) FROM MESSAGE m"
            " JOIN TICKET t ON t.ticket_id = m.ticket_id"
            " JOIN CUSTOMER c ON c.customer_id = t.customer_id"
            " JOIN SENDER s ON s.sender_id = m.sender_id"
            " WHERE m.sender_id <> c.sender_id AND s.sender_type <> 'agent'",
        )
        == 0
    )


def test_open_tickets_are_unrated_and_resolved_ones_rated(data):
    assert (
        _scalar(
            data,
            "SELECT COUNT(*) FROM TICKET WHERE ticket_status = 'open'"
            " AND ticket_rating IS NOT NULL",
        )
        == 0
    )
    assert (
        _scalar(
            data,
            "SELECT COUNT(*) FROM TICKET WHERE ticket_status = 'resolved'"
            " AND (ticket_rating IS NULL OR ticket_rating NOT BETWEEN 1 AND 5)",
        )
        == 0
    )


def test_about_a_tenth_of_tickets_are_open_and_they_are_the_newest(data):
    share = _scalar(
        data,
        "SELECT AVG(CASE WHEN ticket_status = 'open' THEN 1.0 ELSE 0 END) FROM TICKET",
    )
    assert 0.05 <= share <= 0.15
    with data.connect() as conn:
        # first message time per ticket, as (earliest, latest) per status
        spans = {
            status: (earliest, latest)
            for status, earliest, latest in conn.execute(
                text(
                    "SELECT ticket_status, MIN(opened), MAX(opened) FROM ("
                    "  SELECT t.ticket_status, MIN(m.message_sent_time) AS opened"
                    "  FROM TICKET t JOIN MESSAGE m ON m.ticket_id = t.ticket_id"
                    "  GROUP BY t.ticket_id, t.ticket_status"
                    ") AS firsts GROUP BY ticket_status"
                )
            )
        }
    assert spans["open"][0] > spans["resolved"][1]


def test_resolved_tickets_have_one_to_three_agents_mostly_one(default):
    with default[0].connect() as conn:
        per_ticket = conn.execute(
            text(
                "SELECT t.ticket_id, COUNT(DISTINCT CASE WHEN s.sender_type = 'agent'"
                " THEN m.sender_id END) FROM TICKET t"
                " JOIN MESSAGE m ON m.ticket_id = t.ticket_id"
                " JOIN SENDER s ON s.sender_id = m.sender_id"
                " WHERE t.ticket_status = 'resolved' GROUP BY t.ticket_id"
            )
        ).all()
    agents = [n for _, n in per_ticket]
    assert set(agents) <= {1, 2, 3}
    assert agents.count(1) > len(agents) / 2
    assert agents.count(3) > 0


def test_message_times_strictly_increase_within_a_ticket(data):
    assert (
        _scalar(
            data,
            "SELECT COUNT(*) FROM MESSAGE a JOIN MESSAGE b"
            " ON a.ticket_id = b.ticket_id AND a.message_id <> b.message_id"
            " AND a.message_sent_time = b.message_sent_time",
        )
        == 0
    )


def test_default_set_lies_within_2025(default):
    with default[0].connect() as conn:
        first, last = conn.execute(
            text("SELECT MIN(message_sent_time), MAX(message_sent_time) FROM MESSAGE")
        ).one()
    assert datetime(2025, 1, 1) <= _as_datetime(first)
    assert _as_datetime(last) < datetime(2026, 1, 1)


def test_people_look_real(default):
    engine = default[0]
    assert (
        _scalar(
            engine,
            "SELECT COUNT(*) FROM AGENT"
            " WHERE agent_email_address NOT LIKE '%@support.example.com'",
        )
        == 0
    )
    assert (
        _scalar(
            engine,
            "SELECT COUNT(*) FROM CUSTOMER"
            " WHERE customer_email_address NOT LIKE '%_@_%.%'"
            " OR customer_phone_no NOT BETWEEN 2000000000 AND 9999999999",
        )
        == 0
    )


def test_message_texts_are_filled_in(default):
    assert (
        _scalar(
            default[0],
            "SELECT COUNT(*) FROM MESSAGE WHERE LENGTH(message_text) < 5"
            " OR message_text LIKE '%{%' OR message_text LIKE '%}%'",
        )
        == 0
    )


def _as_datetime(value) -> datetime:
    # raw SQL on SQLite returns the stored text
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
