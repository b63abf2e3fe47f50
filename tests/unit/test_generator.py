"""The mock-data generator on in-memory SQLite: sizes, determinism and the invariants
every report relies on, checked with plain SQL rather than the generator's own
numbers."""

import re
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine, select, text

from dashboard.data.schema import CATEGORIES, TABLES, metadata
from seeds import populate, texts
from seeds.generator import sizes
from seeds.model import (
    DAY,
    HOUR,
    START,
    agent_reply_gap,
    customer_reply_gap,
    draw_rating,
    is_rated,
)
from seeds.people import make_people

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


def test_gen001_default_set_has_the_spec_sizes(default):
    engine, counts = default
    for table, size in SPEC_SIZES.items():
        assert _scalar(engine, f"SELECT COUNT(*) FROM {table}") == size
    assert _scalar(engine, "SELECT COUNT(*) FROM SENDER") == 34 + 123
    assert counts == {**SPEC_SIZES, "SENDER": 157}


def test_gen002_small_scale_rounds_the_spec_sizes():
    engine, _ = _populated(scale=0.05)
    want = {
        "AGENT": round(34 * 0.05**0.5),
        "CUSTOMER": round(123 * 0.05),
        "TICKET": round(377 * 0.05),
        "MESSAGE": round(6341 * 0.05),
    }
    for table, size in want.items():
        assert _scalar(engine, f"SELECT COUNT(*) FROM {table}") == size


def test_gen003_agents_grow_with_the_square_root_of_the_scale():
    assert sizes(4) == (68, 492, 1508, 25364)
    assert sizes(1000) == (1075, 123_000, 377_000, 6_341_000)


def test_gen004_non_positive_scale_is_refused():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn, pytest.raises(ValueError, match="scale"):
        populate(conn, scale=0)


def test_gen005_same_seed_gives_identical_rows_and_another_seed_differs(default):
    again, _ = _populated(seed=42)
    other, _ = _populated(seed=43)
    first = _dump(default[0])
    assert _dump(again) == first
    other_rows = _dump(other)
    assert all(
        other_rows[t.name] != first[t.name] for t in TABLES if t.name != "SENDER"
    )


def test_gen006_progress_reports_every_row_once():
    calls = []
    _, counts = _populated(scale=0.05, progress=lambda done, total: calls.append(done))
    total = sum(counts.values())
    assert calls[0] == 0  # the bar shows while the data is made
    assert calls == sorted(calls)
    assert calls[-1] == total


def test_gen007_senders_match_people(data):
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


def test_gen008_first_message_is_from_the_tickets_customer(data):
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


def test_gen009_messages_come_from_the_customer_or_an_agent(data):
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


def test_gen010_open_tickets_are_unrated_and_ratings_are_1_to_5(data):
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
            data, "SELECT COUNT(*) FROM TICKET WHERE ticket_rating NOT BETWEEN 1 AND 5"
        )
        == 0
    )


def test_gen011_many_customers_never_rate_a_resolved_ticket(default):
    unrated = _scalar(
        default[0],
        "SELECT AVG(CASE WHEN ticket_rating IS NULL THEN 1.0 ELSE 0 END) FROM TICKET"
        " WHERE ticket_status = 'resolved'",
    )
    assert 0.12 <= unrated <= 0.32  # surveys get answered by 70-85 % at best


def test_gen012_about_a_tenth_of_tickets_are_open_and_they_are_the_newest(data):
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


def test_gen013_resolved_tickets_have_one_to_three_agents_mostly_one(default):
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
    shares = [agents.count(k) / len(agents) for k in (1, 2, 3)]
    # about 70 / 22 / 8 %: a few standard errors either way on 339 tickets
    assert 0.62 <= shares[0] <= 0.78
    assert 0.14 <= shares[1] <= 0.30
    assert 0.03 <= shares[2] <= 0.13


def test_gen014_message_times_strictly_increase_within_a_ticket(data):
    assert (
        _scalar(
            data,
            "SELECT COUNT(*) FROM MESSAGE a JOIN MESSAGE b"
            " ON a.ticket_id = b.ticket_id AND a.message_id <> b.message_id"
            " AND a.message_sent_time = b.message_sent_time",
        )
        == 0
    )


def test_gen015_default_set_lies_within_2025(default):
    with default[0].connect() as conn:
        first, last = conn.execute(
            text("SELECT MIN(message_sent_time), MAX(message_sent_time) FROM MESSAGE")
        ).one()
    assert datetime(2025, 1, 1) <= _as_datetime(first)
    assert _as_datetime(last) < datetime(2026, 1, 1)


def test_gen016_people_look_real(default):
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


def test_gen017_message_texts_are_filled_in(default):
    assert (
        _scalar(
            default[0],
            "SELECT COUNT(*) FROM MESSAGE WHERE LENGTH(message_text) < 5"
            " OR message_text LIKE '%{%' OR message_text LIKE '%}%'",
        )
        == 0
    )


def _conversations(engine) -> pd.DataFrame:
    """Every message with its ticket's facts and its sender's type and first name."""
    with engine.connect() as conn:
        df = pd.read_sql(
            text(
                "SELECT m.message_id, m.ticket_id, m.sender_id, m.message_sent_time,"
                " m.message_text, s.sender_type, a.agent_first_name,"
                " t.ticket_category, t.ticket_status, t.ticket_rating"
                " FROM MESSAGE m JOIN SENDER s ON s.sender_id = m.sender_id"
                " JOIN TICKET t ON t.ticket_id = m.ticket_id"
                " LEFT JOIN AGENT a ON a.sender_id = m.sender_id"
                " ORDER BY m.ticket_id, m.message_sent_time, m.message_id"
            ),
            conn,
        )
    df["sent"] = pd.to_datetime(df["message_sent_time"])
    return df


def _tickets(messages: pd.DataFrame) -> pd.DataFrame:
    by_ticket = messages.groupby("ticket_id")
    agent = messages["sender_type"] == "agent"
    tickets = by_ticket.agg(
        category=("ticket_category", "first"),
        status=("ticket_status", "first"),
        rating=("ticket_rating", "first"),
        opened=("sent", "min"),
        closed=("sent", "max"),
        messages=("message_id", "size"),
    )
    tickets["agent_messages"] = agent.groupby(messages["ticket_id"]).sum()
    tickets["hours"] = (tickets.closed - tickets.opened).dt.total_seconds() / 3600
    return tickets


@pytest.fixture(scope="module")
def conversations(default):
    return _conversations(default[0])


def test_gen018_faster_resolutions_get_better_ratings(conversations):
    rated = _tickets(conversations).dropna(subset=["rating"])
    rated = rated[rated.status == "resolved"]
    spearman = rated["rating"].rank().corr(rated["hours"].rank())
    assert -0.6 <= spearman <= -0.25  # about -0.4


def test_gen019_resolution_time_depends_on_the_category(conversations):
    tickets = _tickets(conversations)
    median = tickets[tickets.status == "resolved"].groupby("category")["hours"].median()
    # password resets are quick; lost parcels wait on the carrier
    assert median.idxmin() == "Account access"
    assert median.idxmax() == "Undelivered goods"
    assert median.max() > 10 * median.min()


def test_gen020_some_tickets_are_resolved_by_the_first_answer(conversations):
    tickets = _tickets(conversations)
    resolved = tickets[tickets.status == "resolved"]
    one_touch = resolved[resolved.agent_messages == 1]
    assert 0.05 <= len(one_touch) / len(resolved) <= 0.25
    # the customer asks, the agent solves it, the customer may say thanks
    assert set(one_touch.messages) <= {2, 3}
    answers = conversations[
        conversations.ticket_id.isin(one_touch.index)
        & (conversations.sender_type == "agent")
    ]
    for category, texts_ in answers.groupby("ticket_category")["message_text"]:
        solves = _regex(_pool(category, "solve"))
        for text_ in texts_:
            assert re.search(solves, text_), text_


@pytest.mark.parametrize("scale", [1, 3])
def test_gen021_agents_never_repeat_a_sentence_within_a_ticket(scale, default):
    engine = default[0] if scale == 1 else _populated(seed=5, scale=scale)[0]
    messages = _conversations(engine)
    agents = messages[messages.sender_type == "agent"]
    steps = 0
    for ticket_id, said in agents.groupby("ticket_id")["message_text"]:
        sentences = [s for text_ in said for s in texts.sentences(text_)]
        assert len(sentences) == len(set(sentences)), ticket_id
        steps = max(steps, len(said))
    assert steps >= 12  # long conversations are among them


def test_gen022_texts_fit_the_category_and_the_speaker(conversations):
    for (category, speaker), said in conversations.groupby(
        ["ticket_category", "sender_type"]
    )["message_text"]:
        pools = _CUSTOMER_POOLS if speaker == "customer" else _AGENT_POOLS
        opener, body, closer = (
            _regex([t for p in group for t in _pool(category, p)]) for group in pools
        )
        pattern = re.compile(f"(?:{opener})?(?:{body})(?:{closer})?")
        for text_ in said:
            assert pattern.fullmatch(text_), (category, speaker, text_)


_CUSTOMER_POOLS = (
    ("greeting",),
    ("open", "detail", "reply", "nudge", "thanks", "neutral", "unhappy"),
    (),
)
_AGENT_POOLS = (
    ("ask_opener", "step_opener", "handover_opener"),
    ("ask", "step", "resolve", "solve"),
    ("closer",),
)


def _pool(category: str, pool: str) -> list[str]:
    """The templates of one of a category's pools, as the generator draws them: ids
    into texts.TEMPLATES."""
    c, p = CATEGORIES.index(category), texts.POOL[pool]
    return [texts.TEMPLATES[i] for i in texts.POOL_IDS[c, p, : texts.POOL_SIZE[c, p]]]


def _regex(templates) -> str:
    """An alternation matching any of the templates, each placeholder filled with
    some text."""
    return (
        "|".join(
            "".join(
                ".+?" if part.startswith("{") else re.escape(part)
                for part in re.split(r"(\{\w+\})", template)
            )
            for template in templates
            if template
        )
        or "(?!)"
    )


def test_gen023_customers_thank_the_agent_who_spoke_last(conversations):
    named = conversations.message_text.str.extract(
        r"^(?:Perfect, thanks for your help (\w+)\.|Thank you (\w+), much)"
    ).bfill(axis=1)[0]
    last_agent = conversations.agent_first_name.groupby(conversations.ticket_id).ffill()
    thanked = named.notna()
    assert thanked.sum() >= 10
    assert (named[thanked] == last_agent[thanked]).all()


def test_gen024_traffic_follows_business_hours_and_weekdays(conversations):
    hour, weekday = conversations.sent.dt.hour, conversations.sent.dt.dayofweek
    office = hour.between(9, 16).sum()
    night = hour.between(0, 5).sum()
    assert office > 20 * night
    per_weekday = (weekday < 5).sum() / 5
    per_weekend_day = (weekday >= 5).sum() / 2
    assert per_weekday > 1.5 * per_weekend_day


# --- the model's pure functions, which the simulator shares --------------------------

MONDAY = (datetime(2025, 1, 6) - START).total_seconds()  # a Monday, in model seconds
SATURDAY = MONDAY - 2 * DAY


def test_gen025_agent_reply_gap_within_the_shift_scales_with_the_pace():
    # z = 0 gives the median: one minute plus 20 minutes times the pace
    assert agent_reply_gap(MONDAY + 10 * HOUR, 1.0, 0.0, 0.9, 0.0) == 60 + 1200
    assert agent_reply_gap(MONDAY + 10 * HOUR, 2.0, 0.0, 0.9, 0.0) == 60 + 2400
    # weekends are slower
    assert agent_reply_gap(SATURDAY + 12 * HOUR, 1.0, 0.0, 0.9, 0.0) == 2 * 1260


def test_gen026_agent_reply_gap_outside_the_shift_waits_for_the_morning_queue():
    # 22:00 on Monday: Tuesday's shift starts at 8:00, 10 hours later
    assert agent_reply_gap(MONDAY + 22 * HOUR, 1.0, 0.0, 0.9, 0.0) == 10 * HOUR + 1260
    assert agent_reply_gap(MONDAY + 22 * HOUR, 1.0, 0.0, 0.9, 0.5) == 11 * HOUR + 1260
    # 5:00 waits for the same day's shift; a night shift answers a quarter of the time
    assert agent_reply_gap(MONDAY + 5 * HOUR, 1.0, 0.0, 0.9, 0.0) == 3 * HOUR + 1260
    assert agent_reply_gap(MONDAY + 5 * HOUR, 1.0, 0.0, 0.1, 0.0) == 3 * 1260


def test_gen027_customer_reply_gap_sleeps_at_night():
    assert customer_reply_gap(MONDAY + 10 * HOUR, 3600, 0.0, 0.0) == 60 + 3600
    # an answer due at 23:31 comes at 7:00 the next morning (+ up to 3 hours)
    assert customer_reply_gap(MONDAY + 22.5 * HOUR, 3600, 0.0, 0.0) == 8.5 * HOUR
    assert customer_reply_gap(MONDAY + 22.5 * HOUR, 3600, 0.0, 0.5) == 10 * HOUR


def test_gen028_draw_rating_rewards_speed_and_good_agents():
    # a day's wait scores 4.9, 25 days 4.9 - 0.45 ln 25 = 3.45
    assert draw_rating(24, 0.0, 1, 0.0, 0.5) == 5
    assert draw_rating(25 * 24 - 1, 0.0, 1, 0.0, 0.5) == 3
    assert draw_rating(25 * 24 - 1, 0.6, 1, 0.0, 0.5) == 4  # a better agent
    assert draw_rating(25 * 24 - 1, 0.0, 3, 0.0, 0.5) == 3  # hand-overs: 2.95
    assert draw_rating(24, 0.0, 1, 0.0, 0.01) == 2  # rates on other grounds
    assert draw_rating(24, 0.0, 1, -9.0, 0.5) == 1
    assert draw_rating(1, 2, 1, 9, 1) == 5


def test_gen029_is_rated_skips_lukewarm_ratings_most():
    assert [bool(is_rated(r, 0.3)) for r in range(1, 6)] == [
        True,
        True,
        False,
        True,
        True,
    ]
    assert not any(is_rated(r, 0.0) for r in range(1, 6))


def test_gen030_make_people_gives_unique_emails_even_for_namesakes():
    people = make_people(np.random.default_rng(1), 5000, ("example.com",))
    emails = [email for _, _, email, _ in people]
    assert len(set(emails)) == len(emails)
    firsts = {(first.lower(), last.lower()) for first, last, *_ in people}
    assert len(firsts) < len(people)  # namesakes were there to be numbered
    assert all(2_000_000_000 <= phone <= 9_999_999_999 for *_, phone in people)


def _as_datetime(value) -> datetime:
    # raw SQL on SQLite returns the stored text
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
