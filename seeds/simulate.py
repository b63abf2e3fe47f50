"""Keeps adding realistic activity to a support database, so the live view moves.

`step(conn, rng, now)` plays out, in one transaction, everything that happens between
the newest message in the database and `now`: new tickets (the customer's first
message, sometimes from a first-time customer), agent replies and hand-overs, customer
replies and nudges, and resolutions (the agent's closing message, status resolved, a
1-5 rating unless the customer does not rate). `run` calls it about once a second with
a clock that advances so that roughly `rate` messages a second arrive, until told to
stop.

The generator's model (`seeds.model`) drives it, one event at a time, so simulated
tickets look like seeded ones: tickets arrive with the same monthly, weekly and hourly
rhythm and as often as in the data, in the same categories (more shipping problems in
the holiday months); reply gaps come from the model's gap functions (business hours,
slower weekends, customers asleep at night, waits on carriers and developers, slow
hand-overs) at each agent's lasting speed; conversations are as long as in the data,
most with one agent and some with two or three taking over at the model's turns, some
resolved by the first answer; ratings follow the model, and so does the share of
customers who never rate; texts come from `seeds.texts`, and an agent never repeats a
sentence the ticket's agents wrote before.

When something happens is a pure function of what is in the database (each wait is
drawn from a generator seeded by the ticket and its message count), so the same
history comes out whether `step` is called every minute or once a day; `rng` picks
agents, customers, ratings and texts. An action that fell due before the newest
message (the seeded backlog) is drawn again, about a day later each time, until it
falls after it: the backlog is worked off over the following day, not at one instant.

Every generator invariant still holds afterwards (tests/invariants.py): a ticket's
first message is its customer's, senders are the ticket's customer or at most three
agents, open tickets are unrated and resolved ones answered by an agent, and each
ticket's messages are strictly later than the ones before. Existing rows are
never changed, except that an open ticket becomes resolved (guarded on its status).
New rows take their ids from the database's autoincrement, so other writers can share
the database.
"""

import heapq
import logging
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

import numpy as np
from sqlalchemy import Insert, func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboard.data.schema import AGENT, CATEGORIES, CUSTOMER, MESSAGE, SENDER, TICKET
from seeds import texts
from seeds.model import (
    AGENT_SPREAD,
    AGENTS_PER_TICKET,
    BASE_MESSAGES,
    BASE_TICKETS,
    DAY,
    HOUR,
    MAX_MESSAGES,
    MONTH_VOLUME,
    PROFILE,
    REPLY_MEDIAN,
    START,
    WEEKDAY_VOLUME,
    WEEKEND_HOURS,
    WORKDAY_HOURS,
    Agent,
    agent_reply_gap,
    category_weights,
    customer_reply_gap,
    day_volume,
    draw_rating,
    escalation_delay,
    handover_turns,
    is_one_touch,
    is_rated,
    nudge_delay,
    third_party_wait,
)
from seeds.people import CUSTOMER_DOMAINS, make_people

log = logging.getLogger(__name__)

EVENTS = (
    "tickets",
    "customers",
    "agent_replies",
    "customer_replies",
    "resolutions",
    "messages",
)
"""The keys of the counts `step` and `run` return; `messages` is the sum of new
tickets, replies and resolutions (each is one message)."""

P_NEW_CUSTOMER = 0.3  # share of new tickets opened by a first-time customer
AGENT_TURNS = BASE_MESSAGES / BASE_TICKETS / 2  # agent messages per ticket, on average
MEAN_LENGTH = sum(share * length for share, length, *_ in PROFILE.values())
STAFF_WINDOW = timedelta(days=14)  # agents who wrote lately are the ones on staff
LIMIT = 2_000  # events per step at most; the rest is left for the next step
REDRAWS = 10_000  # redraws of an overdue wait before giving up (see _Batch._due)
SECOND = timedelta(seconds=1)


@dataclass
class _Open:
    """What the simulation needs to know about an open ticket."""

    ticket_id: int
    category: str
    customer_sender: int
    customer_name: str
    opened_at: datetime
    last_at: datetime
    last_agent_at: datetime | None
    waiting_since: datetime  # first customer message since the last agent message
    n_messages: int
    n_agent_messages: int
    agents: list[int] = field(default_factory=list)  # sender ids, in order of joining
    version: int = 0  # bumped by every message, to drop stale queue entries

    @property
    def waits_on_agent(self) -> bool:
        return self.last_agent_at is None or self.last_agent_at < self.last_at


def _seeded(*key) -> random.Random:
    """A generator seeded by `key` (str seeds are stable across runs and machines)."""
    return random.Random(":".join(str(k) for k in key))


def _seconds(t: datetime) -> int:
    """t as seconds after the generator's START, the unit of its gap functions."""
    return int((t - START).total_seconds())


def _after(t: datetime, seconds: float) -> datetime:
    return t + timedelta(seconds=max(1, int(seconds)))


def _agent(sender_id: int | None) -> Agent:
    """An agent's lasting traits (the model's spread), stable per agent; the queue
    (no agent yet) works at the average pace."""
    if sender_id is None:
        return Agent()
    r = _seeded("agent", sender_id)
    return Agent(r.lognormvariate(0, AGENT_SPREAD), r.gauss(0, AGENT_SPREAD))


@dataclass(frozen=True)
class _Plan:
    """How a ticket's conversation goes, fixed when it opens (as in the generator):
    how many agent messages it takes, and at which of them a colleague takes over."""

    turns: int
    handovers: frozenset[int]


def _plan(ticket: _Open) -> _Plan:
    """The ticket's plan, drawn from a generator seeded by the ticket."""
    r = _seeded(ticket.ticket_id, "plan")
    profile = PROFILE[ticket.category]
    median = math.log(AGENT_TURNS * profile.length / MEAN_LENGTH) - 0.5**2 / 2
    # at most as many as the generator's longest tickets, so agents never run out of
    # things to say (texts.MAX_AGENT_STEPS)
    turns = min(MAX_MESSAGES // 2, max(1, round(r.lognormvariate(median, 0.5))))
    wanted = r.choices(*AGENTS_PER_TICKET)[0]
    if is_one_touch(wanted, profile.one_touch, r.random()):
        turns = 1  # resolved by the first answer
    handovers = handover_turns(turns, True, wanted, r.random(), r.random())
    return _Plan(turns, frozenset(int(t) for t in handovers if t > 0))


# --- arrivals -------------------------------------------------------------------

_WEEK_MEAN = sum(
    WEEKDAY_VOLUME[d] * sum(WEEKEND_HOURS if d >= 5 else WORKDAY_HOURS)
    for d in range(7)
) / (7 * 24)
_MONTH_MEAN = sum(MONTH_VOLUME) / 12
_PEAK = max(MONTH_VOLUME) * max(WEEKDAY_VOLUME) * max(WORKDAY_HOURS + WEEKEND_HOURS)


def _arrival_weight(t: datetime) -> float:
    """Relative ticket arrivals at t (1 on average): the model's month, weekday and
    hour-of-day profiles."""
    hours = WEEKEND_HOURS if t.weekday() >= 5 else WORKDAY_HOURS
    return day_volume(t) * hours[t.hour] / (_MONTH_MEAN * _WEEK_MEAN)


def _next_arrival(after: datetime, per_hour: float, r: random.Random) -> datetime:
    """The next ticket after `after`: a Poisson process of `per_hour` tickets an hour
    on average, shaped by `_arrival_weight` (drawn by thinning)."""
    peak = per_hour * _PEAK / (_MONTH_MEAN * _WEEK_MEAN)
    t = after
    for _ in range(10_000):
        t = _after(t, r.expovariate(peak) * HOUR)
        if r.random() * peak <= per_hour * _arrival_weight(t):
            return t
    return t


# --- the batch ------------------------------------------------------------------


class _Due(NamedTuple):
    """A queue entry: `action` falls due on a ticket at `when` (for an arrival, the
    ticket is the one opened before it). Entries order by time, then by `seq`, the
    order they were queued in; `version` is the ticket's when queued."""

    when: datetime
    seq: int
    action: str
    ticket_id: int
    version: int


class _Batch:
    """One step: the open tickets and a queue of what falls due when."""

    def __init__(self, conn: Connection, rng: random.Random, now: datetime):
        self.conn, self.rng, self.now = conn, rng, now
        m = MESSAGE.c
        self.first, newest = conn.execute(
            select(func.min(m.message_sent_time), func.max(m.message_sent_time))
        ).one()
        self.n_tickets = conn.execute(
            select(func.count()).select_from(TICKET)
        ).scalar_one()
        self.start = newest or now  # nothing is dated before the newest message
        self.clock = self.start
        self.open = _open_tickets(conn)
        names = select(AGENT.c.sender_id, AGENT.c.agent_first_name)
        self.agent_names = dict(conn.execute(names).tuples().all())
        self.plans: dict[int, _Plan] = {}
        self.contexts: dict[int, dict] = {}
        self.counts = Counter({k: 0 for k in EVENTS})
        self.queue: list = []
        self._seq = 0
        for ticket in self.open.values():
            self._schedule(ticket)
        last_ticket = conn.execute(select(func.max(TICKET.c.ticket_id))).scalar()
        last_opened = None
        if last_ticket is not None:
            last_opened = conn.execute(
                select(func.min(m.message_sent_time)).where(m.ticket_id == last_ticket)
            ).scalar()
        if last_ticket is None or last_opened is None:  # no history: first one now
            self._push(now, "arrival", 0, 0)
        else:
            self._schedule_arrival(last_ticket, last_opened)

    def _per_hour(self, last_opened: datetime) -> float:
        """Tickets an hour so far: from the first message to the newest ticket's
        opening, which only a new ticket moves (so every step agrees on it); one an
        hour without a day of history."""
        span = (last_opened - self.first).total_seconds() / HOUR if self.first else 0
        return (self.n_tickets - 1) / span if self.n_tickets > 1 and span > 24 else 1.0

    def run(self, limit: int) -> dict[str, int]:
        """Play out what falls due up to `now`, at most `limit` events; the counts."""
        done = 0
        while self.queue and done < limit:
            due = self.queue[0]
            if due.when > self.now:
                break
            heapq.heappop(self.queue)
            if due.action == "arrival":
                self._new_ticket(due.when)
            else:
                ticket = self.open.get(due.ticket_id)
                if ticket is None or ticket.version != due.version:
                    continue  # resolved, or its situation changed since queued
                self._ON_TICKET[due.action](self, ticket, due.when)
            done += 1
        return dict(self.counts)

    # -- when things fall due ----------------------------------------------------

    def _push(self, when: datetime, action: str, ticket_id: int, version: int) -> None:
        self._seq += 1
        heapq.heappush(self.queue, _Due(when, self._seq, action, ticket_id, version))

    def _due(
        self, base: datetime, key: tuple, gap: Callable, redraw: float | None = DAY
    ) -> datetime:
        """base + gap(r, base), r seeded by `key`.

        If that falls before the newest message (the seeded backlog, or a pause of
        the simulator), the wait is drawn again from a later point, about `redraw`
        seconds on each time (None: from the previous outcome), until it falls
        after it. The sequence depends on `key` alone, so every step picks the same
        outcome: the first one after the newest message.
        """
        r = _seeded(*key)
        anchor, when = base, _after(base, gap(r, base))
        for _ in range(REDRAWS):
            if when > self.start:
                return when
            anchor = (
                when if redraw is None else _after(anchor, r.expovariate(1 / redraw))
            )
            when = _after(anchor, gap(r, anchor))
        return max(when, self.start + SECOND)  # ancient history: give up on stability

    def _schedule(self, ticket: _Open) -> None:
        """Queue the ticket's next event: the agent's reply when it waits on an agent
        (the customer nudging first if nobody has answered for long), else the
        customer's reply."""
        tid, profile = ticket.ticket_id, PROFILE[ticket.category]
        if ticket.waits_on_agent:
            agent = _agent(ticket.agents[-1] if ticket.agents else None)
            turn = ticket.n_agent_messages
            escalates = turn in self._plan(ticket).handovers

            def agent_gap(r, base):
                t = _seconds(base) + int(
                    third_party_wait(
                        turn,
                        profile.wait_chance,
                        profile.wait_hours,
                        r.random(),
                        r.gauss(0, 1),
                    )
                )
                if escalates:
                    t += int(escalation_delay(r.gauss(0, 1)))
                gap = agent_reply_gap(
                    t, agent.speed * profile.pace, r.gauss(0, 1), r.random(), r.random()
                )
                return t + int(gap) - _seconds(base)

            when = self._due(ticket.waiting_since, (tid, "agent", turn), agent_gap)
            action = "agent_reply"
            if not turn:  # nobody has answered yet: the customer may chase it

                def nudge_gap(r, _base):
                    return int(nudge_delay(r.gauss(0, 1)))

                nudge = self._due(
                    ticket.last_at, (tid, "nudge", ticket.n_messages), nudge_gap
                )
                if nudge < when:
                    when, action = nudge, "nudge"
        else:

            def customer_gap(r, base):
                median = REPLY_MEDIAN * profile.pace
                t = _seconds(base)
                return int(customer_reply_gap(t, median, r.gauss(0, 1), r.random()))

            key = (tid, "customer", ticket.n_messages)
            when = self._due(ticket.last_at, key, customer_gap)
            action = "customer_reply"
        self._push(when, action, tid, ticket.version)

    def _schedule_arrival(self, last_ticket: int, last_opened: datetime) -> None:
        per_hour = self._per_hour(last_opened)

        def arrival_gap(r, base):
            return (_next_arrival(base, per_hour, r) - base).total_seconds()

        key = ("arrival", last_ticket)
        when = self._due(last_opened, key, arrival_gap, redraw=None)
        self._push(when, "arrival", last_ticket, 0)

    def _plan(self, ticket: _Open) -> _Plan:
        if ticket.ticket_id not in self.plans:
            self.plans[ticket.ticket_id] = _plan(ticket)
        return self.plans[ticket.ticket_id]

    # -- the events --------------------------------------------------------------

    def _new_ticket(self, when: datetime) -> None:
        customer = None
        if self.rng.random() >= P_NEW_CUSTOMER:
            customer = _some_customer(self.conn, self.rng)
        if customer is None:
            customer = self._new_customer()
        customer_id, sender_id, first_name = customer
        weights = category_weights(when.month).tolist()
        category = self.rng.choices(CATEGORIES, weights)[0]
        ticket_id = _inserted_id(
            self.conn,
            TICKET.insert().values(
                customer_id=customer_id,
                ticket_category=category,
                ticket_rating=None,
                ticket_status="open",
            ),
        )
        when = max(when, self.clock)
        ticket = _Open(
            ticket_id, category, sender_id, first_name, when, when, None, when, 0, 0
        )
        self.open[ticket_id] = ticket
        self._message(ticket, sender_id, "open", when)
        self.counts["tickets"] += 1
        self.n_tickets += 1
        self.first = self.first or when
        self._schedule_arrival(ticket_id, when)

    def _staff(self, when: datetime, ticket: _Open) -> list[int]:
        """Agents on staff at `when` (those who wrote lately) not on the ticket yet."""
        since = when - STAFF_WINDOW
        staff = _staff(self.conn, since, self.agent_names) or sorted(self.agent_names)
        return [s for s in staff if s not in ticket.agents]

    def _agent_reply(self, ticket: _Open, when: datetime) -> None:
        plan, turn = self._plan(ticket), ticket.n_agent_messages
        if not ticket.agents:
            staff = self._staff(when, ticket)
            if not staff:  # no agents at all: the ticket keeps waiting
                return
            agent = self.rng.choice(staff)
            kind = "solve" if plan.turns == 1 else "ask"  # one-touch
        else:
            agent, kind = ticket.agents[-1], "step"
            if (
                turn in plan.handovers
                and len(ticket.agents) < 3
                and (newcomers := self._staff(when, ticket))
            ):
                agent, kind = self.rng.choice(newcomers), "handover"
            if kind == "step" and turn + 1 >= plan.turns:
                kind = "resolve"
        if kind in ("resolve", "solve"):
            self._resolve(ticket, agent, kind, when)
            return
        if agent not in ticket.agents:
            ticket.agents.append(agent)
        self._message(ticket, agent, kind, when)
        self.counts["agent_replies"] += 1

    def _customer_reply(self, ticket: _Open, when: datetime) -> None:
        kind = "detail" if ticket.n_agent_messages == 1 else "reply"
        self._message(ticket, ticket.customer_sender, kind, when)
        self.counts["customer_replies"] += 1

    def _nudge(self, ticket: _Open, when: datetime) -> None:
        self._message(ticket, ticket.customer_sender, "nudge", when)
        self.counts["customer_replies"] += 1

    # the handler of each action queued on an open ticket (see `_schedule`)
    _ON_TICKET: dict[str, Callable[["_Batch", _Open, datetime], None]] = {
        "agent_reply": _agent_reply,
        "customer_reply": _customer_reply,
        "nudge": _nudge,
    }

    def _resolve(self, ticket: _Open, agent: int, kind: str, when: datetime) -> None:
        when = self._time(ticket, when)
        if agent not in ticket.agents:
            ticket.agents.append(agent)
        hours = (when - ticket.opened_at).total_seconds() / HOUR
        rating = _rate(self.rng, hours, ticket.agents)
        done = self.conn.execute(
            update(TICKET)
            .where(TICKET.c.ticket_id == ticket.ticket_id)
            .where(TICKET.c.ticket_status == "open")
            .values(ticket_status="resolved", ticket_rating=rating)
        )
        del self.open[ticket.ticket_id]
        if done.rowcount != 1:  # someone else closed it meanwhile: leave it be
            return
        self._message(ticket, agent, kind, when)
        self.counts["resolutions"] += 1

    # -- writing -----------------------------------------------------------------

    def _time(self, ticket: _Open, when: datetime) -> datetime:
        """`when`, but after the ticket's last message and not before the batch's
        previous message (ids and times grow together)."""
        self.clock = max(when, self.clock)
        if ticket.n_messages:
            self.clock = max(self.clock, ticket.last_at + SECOND)
        return self.clock

    def _message(self, ticket: _Open, sender: int, kind: str, when: datetime) -> None:
        when = self._time(ticket, when)
        ctx = self._context(ticket)
        from_agent = sender in self.agent_names
        if from_agent:
            ctx["agent"] = self.agent_names[sender]
        self.conn.execute(
            MESSAGE.insert().values(
                ticket_id=ticket.ticket_id,
                sender_id=sender,
                message_sent_time=when,
                message_text=texts.message(
                    kind, ticket.category, ctx, self.rng, self._said(ticket, sender)
                ),
            )
        )
        if from_agent:
            ticket.last_agent_at = when
            ticket.n_agent_messages += 1
        elif not ticket.waits_on_agent:
            ticket.waiting_since = when
        ticket.last_at = when
        ticket.n_messages += 1
        ticket.version += 1
        self.counts["messages"] += 1
        if ticket.ticket_id in self.open and kind not in ("resolve", "solve"):
            self._schedule(ticket)

    def _context(self, ticket: _Open) -> dict:
        """The ticket's story (order number, item, ...), the same in every step."""
        if ticket.ticket_id not in self.contexts:
            self.contexts[ticket.ticket_id] = texts.ticket_context(
                ticket.category,
                ticket.customer_name,
                _seeded(ticket.ticket_id, "story"),
            )
        return self.contexts[ticket.ticket_id]

    def _said(self, ticket: _Open, sender: int) -> list[str]:
        """What the ticket's agents wrote so far, when `sender` is an agent (who must
        not repeat a sentence of it); nothing for a customer."""
        if sender not in self.agent_names:
            return []
        m = MESSAGE.c
        rows = self.conn.execute(
            select(m.sender_id, m.message_text).where(m.ticket_id == ticket.ticket_id)
        )
        return [text for who, text in rows if who in self.agent_names]

    def _new_customer(self) -> tuple[int, int, str]:
        people = np.random.default_rng(self.rng.getrandbits(64))
        ((first, last, email, phone),) = make_people(people, 1, CUSTOMER_DOMAINS)
        local, host = email.split("@")
        suffix = 1
        while self.conn.execute(
            select(CUSTOMER.c.customer_id).where(
                CUSTOMER.c.customer_email_address == email
            )
        ).first():
            suffix += 1
            email = f"{local}{suffix}@{host}"
        sender_id = _inserted_id(
            self.conn, SENDER.insert().values(sender_type="customer")
        )
        customer_id = _inserted_id(
            self.conn,
            CUSTOMER.insert().values(
                sender_id=sender_id,
                customer_email_address=email,
                customer_first_name=first,
                customer_last_name=last,
                customer_phone_no=phone,
            ),
        )
        self.counts["customers"] += 1
        return customer_id, sender_id, first


def _inserted_id(conn: Connection, statement: Insert) -> int:
    """The new row's id from a single-row INSERT (SQLAlchemy types the key as
    optional because a multi-row INSERT has none)."""
    key = conn.execute(statement).inserted_primary_key
    if key is None:
        raise RuntimeError(f"no primary key from {statement.table}")
    return key[0]


def _open_tickets(conn: Connection) -> dict[int, _Open]:
    """The open tickets that have messages, in the shape `_Batch` works with.

    One pass over their messages, driven from the open tickets through the
    (ticket_id, time) index: open tickets are few and short, so this stays cheap.
    """
    t, m, s, cu = TICKET.c, MESSAGE.c, SENDER.c, CUSTOMER.c
    rows = conn.execute(
        select(
            t.ticket_id,
            t.ticket_category,
            cu.sender_id,
            cu.customer_first_name,
            m.sender_id,
            s.sender_type,
            m.message_sent_time,
        )
        .select_from(
            TICKET.join(CUSTOMER, cu.customer_id == t.customer_id)
            .join(MESSAGE, m.ticket_id == t.ticket_id)
            .join(SENDER, s.sender_id == m.sender_id)
        )
        .where(t.ticket_status == "open")
        .order_by(t.ticket_id, m.message_sent_time, m.message_id)
    )
    tickets: dict[int, _Open] = {}
    for ticket_id, category, customer, name, sender, sender_type, sent in rows:
        ticket = tickets.get(ticket_id)
        if ticket is None:
            ticket = tickets[ticket_id] = _Open(
                ticket_id, category, customer, name, sent, sent, None, sent, 0, 0
            )
        if sender_type == "agent":
            ticket.last_agent_at = sent
            ticket.n_agent_messages += 1
            if sender not in ticket.agents:
                ticket.agents.append(sender)
        elif not ticket.waits_on_agent:
            ticket.waiting_since = sent  # the first word after the agent's
        ticket.last_at = sent
        ticket.n_messages += 1
    return tickets


def _staff(conn: Connection, since: datetime, agents) -> list[int]:
    """Sender ids of the agents (among `agents`) who sent a message since `since`.

    A range scan of the time index only; joining AGENT here let MariaDB pick a plan
    that walks every agent's messages.
    """
    m = MESSAGE.c
    senders = conn.execute(
        select(m.sender_id).where(m.message_sent_time >= since).distinct()
    ).scalars()
    return sorted(set(senders) & set(agents))


def _some_customer(conn: Connection, rng: random.Random) -> tuple | None:
    """A random existing customer (id, sender id, first name), or None if none."""
    cu = CUSTOMER.c
    n = conn.execute(select(func.count()).select_from(CUSTOMER)).scalar_one()
    if not n:
        return None
    return tuple(
        conn.execute(
            select(cu.customer_id, cu.sender_id, cu.customer_first_name)
            .order_by(cu.customer_id)
            .offset(rng.randrange(n))
            .limit(1)
        ).one()
    )


def _rate(rng: random.Random, hours: float, agents: list[int]) -> int | None:
    """The model's rating: faster resolutions and better agents score higher,
    hand-overs annoy; None when the customer does not rate (as often as in the
    data)."""
    quality = sum(_agent(a).quality for a in agents) / len(agents)
    rating = int(
        draw_rating(hours, quality, len(agents), rng.gauss(0, 1), rng.random())
    )
    return rating if is_rated(rating, rng.random()) else None


def step(
    conn: Connection, rng: random.Random, now: datetime, limit: int = LIMIT
) -> dict[str, int]:
    """Play out what happens from the newest message up to `now`, in one transaction
    (the caller's if one is open); the counts by kind (EVENTS).

    At most `limit` events; the rest is left for the next step. A `now` at or before
    the newest message adds nothing (`run` offsets its clock to avoid that).
    """
    if now.tzinfo is not None:
        now = now.astimezone().replace(tzinfo=None)  # the data is in local time
    now = now.replace(microsecond=0)  # DATETIME columns keep whole seconds
    if conn.in_transaction():
        return _Batch(conn, rng, now).run(limit)
    with conn.begin():
        return _Batch(conn, rng, now).run(limit)


def data_rate(conn: Connection) -> float:
    """Messages per second of the data's own history (0 when there is none)."""
    m = MESSAGE.c
    first, last, n = conn.execute(
        select(
            func.min(m.message_sent_time), func.max(m.message_sent_time), func.count()
        )
    ).one()
    span = (last - first).total_seconds() if n else 0
    return n / span if span > 0 else 0.0


class DataClock:
    """Simulated time: from `start`, running `speed` times as fast as real time."""

    def __init__(self, start: datetime, speed: float, timer=time.monotonic):
        if not speed > 0:
            raise ValueError(f"speed must be positive, not {speed}")
        self.start, self.speed = start.replace(microsecond=0), speed
        self._timer = timer
        self._t0 = timer()

    @classmethod
    def for_rate(cls, engine: Engine, rate: float) -> "DataClock":
        """A clock continuing from the newest message, fast enough that about `rate`
        messages a second arrive at the data's own pace of activity."""
        with engine.connect() as conn:
            newest = conn.execute(select(func.max(MESSAGE.c.message_sent_time)))
            start = newest.scalar() or datetime.now()
            per_second = data_rate(conn) or 1 / HOUR
        return cls(start, rate / per_second)

    def __call__(self) -> datetime:
        elapsed = (self._timer() - self._t0) * self.speed
        return self.start + timedelta(seconds=elapsed)


def run(
    engine: Engine,
    rate: float,
    stop: threading.Event,
    clock: Callable[[], datetime] | None = None,
    *,
    seed: int | None = None,
    interval: float = 1.0,
    on_step: Callable[[dict[str, int]], None] | None = None,
) -> dict[str, int]:
    """Keep adding activity, a step every `interval` seconds, until `stop` is set;
    the total counts.

    `clock` gives the simulated time; by default a DataClock that continues from the
    newest message so that about `rate` messages a second arrive (mock data from 2025
    continues into 2026 rather than leaping to today). A clock that starts before the
    newest message (e.g. `datetime.now` on data dated ahead) is shifted to start
    there. `on_step` receives each step's counts. A database error is logged and
    retried after a growing pause; it does not end the loop.
    """
    if not rate > 0:
        raise ValueError(f"rate must be a positive number of messages a second: {rate}")
    rng = random.Random(seed)
    if clock is None:
        clock = DataClock.for_rate(engine, rate)
    with engine.connect() as conn:
        newest = conn.execute(select(func.max(MESSAGE.c.message_sent_time))).scalar()
    shift = max(timedelta(0), newest - clock()) if newest else timedelta(0)
    totals = Counter({k: 0 for k in EVENTS})
    backoff = 0.0
    while not stop.wait(backoff or interval):
        try:
            with engine.connect() as conn:
                counts = step(conn, rng, clock() + shift)
        except SQLAlchemyError:
            backoff = min(60.0, max(2 * backoff, 1.0))
            log.exception("simulator: a step failed; retrying in %.0f s", backoff)
            continue
        backoff = 0.0
        totals.update(counts)
        if on_step is not None:
            on_step(counts)
    return dict(totals)
