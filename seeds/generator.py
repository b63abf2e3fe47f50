"""Deterministic mock support data: one year (2025) of tickets, messages and people.

Everything comes from one `random.Random(seed)` and one seeded Faker, consumed in a
fixed order, and times are whole seconds, so a seed and scale give the same rows on
SQLite and MariaDB on any machine (with the same Faker version).
"""

import math
import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from faker import Faker

from dashboard.schema import AGENT, CATEGORIES, CUSTOMER, MESSAGE, SENDER, TICKET
from seeds import texts

# The spec's data set; `scale` multiplies it (agents grow with its square root).
BASE_AGENTS, BASE_CUSTOMERS, BASE_TICKETS, BASE_MESSAGES = 34, 123, 377, 6341

START = datetime(2025, 1, 1)
DAY, HOUR, MINUTE = 86_400, 3_600, 60
END = 365 * DAY - 1  # 2025-12-31 23:59:59, in seconds after START; "now" for the data
OPEN_SHARE = 0.10  # the most recently opened tickets are still open
MAX_MESSAGES = 40
CHUNK = 10_000
AGENT_DOMAIN = "support.example.com"

# More tickets after the holidays and around Black Friday / Christmas.
MONTH_VOLUME = (1.10, 0.90, 0.95, 0.92, 0.95, 0.97, 1.00, 0.95, 0.98, 1.02, 1.18, 1.30)
WEEKDAY_VOLUME = (1.15, 1.10, 1.05, 1.05, 0.95, 0.50, 0.45)  # Monday first
WORKDAY_HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 14, 22, 24, 23, 19, 21, 23, 22, 19, 16, 12,
                 9, 8, 6, 4, 2)  # fmt: skip
WEEKEND_HOURS = (2, 1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 13, 13, 12, 12, 12, 11, 11, 10,
                 10, 9, 7, 5, 3)  # fmt: skip

# category: (share of tickets, messages factor, pace of replies, chance an agent
# message waits on a third party, typical wait in hours)
PROFILE = {
    "Account access": (0.17, 0.50, 0.30, 0.02, 3),
    "Bug report": (0.15, 1.10, 1.00, 0.12, 30),
    "Order cancellation": (0.16, 0.80, 0.70, 0.06, 10),
    "Overcharged transaction": (0.15, 1.00, 0.90, 0.10, 24),
    "Undelivered goods": (0.19, 1.30, 1.40, 0.16, 40),
    "Wrong order": (0.18, 1.05, 1.10, 0.10, 30),
}
# Shipping problems pile up in the holiday season (Nov-Jan).
HOLIDAY_BOOST = {"Undelivered goods": 1.7, "Wrong order": 1.3}
AGENTS_PER_TICKET = ((1, 2, 3), (0.70, 0.22, 0.08))


@dataclass(slots=True)
class _Agent:
    sender_id: int
    first_name: str
    speed: float  # multiplies this agent's reply gaps
    quality: float  # shifts the ratings of this agent's tickets
    capacity: float  # relative share of new tickets
    start_day: int  # active from this day of the year...
    end_day: int  # ...up to this one


@dataclass(slots=True)
class _Ticket:
    ticket_id: int
    customer: int  # index into the customers
    category: str
    opened: int  # seconds after START
    is_open: bool
    n_agents: int  # wanted; a short conversation may get fewer
    n_messages: int = 0
    rating: int | None = None
    times: list[int] = field(default_factory=list)
    senders: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    agents: list[int] = field(default_factory=list)  # sender ids, in order of turn


def populate(
    conn,
    seed: int = 42,
    scale: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Fill an empty support database (schema already created) with mock data.

    Inserts with explicit ids in the caller's transaction; returns rows per table.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, not {scale}")
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)

    n_agents = max(1, round(BASE_AGENTS * scale**0.5))
    n_customers = max(1, round(BASE_CUSTOMERS * scale))
    n_tickets = max(1, round(BASE_TICKETS * scale))
    n_messages = max(round(BASE_MESSAGES * scale), 2 * n_tickets)

    agent_people = make_people(fake, n_agents, lambda _: AGENT_DOMAIN)
    customer_people = make_people(fake, n_customers, lambda f: f.safe_domain_name())
    agents = _agents(rng, agent_people)
    day_volume = _day_volume()
    tickets = _tickets(rng, n_tickets, n_customers, day_volume)
    _message_counts(rng, tickets, n_messages)
    mean_volume = sum(day_volume) / len(day_volume)
    pick = _AgentPicker(agents)
    for ticket in tickets:
        load = (day_volume[ticket.opened // DAY] / mean_volume) ** 0.6
        _converse(rng, ticket, n_agents + 1 + ticket.customer, pick, load)
        if not ticket.is_open:
            ticket.rating = draw_rating(rng, ticket, pick.by_sender)

    rows = {
        SENDER: [
            {"sender_id": i, "sender_type": "agent" if i <= n_agents else "customer"}
            for i in range(1, n_agents + n_customers + 1)
        ],
        AGENT: _person_rows("agent", agent_people, first_sender=1),
        CUSTOMER: _person_rows("customer", customer_people, first_sender=n_agents + 1),
        TICKET: [
            {
                "ticket_id": t.ticket_id,
                "customer_id": t.customer + 1,
                "ticket_category": t.category,
                "ticket_rating": t.rating,
                "ticket_status": "open" if t.is_open else "resolved",
            }
            for t in tickets
        ],
    }
    counts = {table.name: len(table_rows) for table, table_rows in rows.items()}
    counts[MESSAGE.name] = n_messages
    rows[MESSAGE] = _messages(  # made while inserted: 600k rows need not sit in memory
        rng,
        tickets,
        [first for first, *_rest in customer_people],
        {a.sender_id: a.first_name for a in agents},
    )
    _insert(conn, rows, sum(counts.values()), progress)
    return counts


def _insert(conn, rows: dict, total: int, progress) -> None:
    """Bulk-insert each table's rows in chunks, in foreign-key order."""
    done = 0
    for table, table_rows in rows.items():
        for chunk in _chunks(table_rows):
            conn.execute(table.insert(), chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)


def make_people(fake: Faker, n: int, domain: Callable[[Faker], str]) -> list[tuple]:
    """(first, last, unique email, 10-digit phone) for n people."""
    seen: set[str] = set()
    people = []
    for _ in range(n):
        first, last = fake.first_name(), fake.last_name()
        local = _email_local(fake, first, last)
        host = domain(fake)
        email, suffix = f"{local}@{host}", 1
        while email in seen:  # same name twice: number the newcomer
            suffix += 1
            email = f"{local}{suffix}@{host}"
        seen.add(email)
        # North American: area code and exchange never start with 0 or 1.
        phone = int(
            fake.numerify(f"{fake.random_int(2, 9)}##{fake.random_int(2, 9)}######")
        )
        people.append((first, last, email, phone))
    return people


def _email_local(fake: Faker, first: str, last: str) -> str:
    first, last = (
        "".join(c for c in s.lower() if c.isascii() and c.isalpha())
        for s in (first, last)
    )
    patterns = (f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}")
    return patterns[fake.random_int(0, len(patterns) - 1)]


def _person_rows(role: str, people: list[tuple], first_sender: int) -> list[dict]:
    return [
        {
            f"{role}_id": i,
            "sender_id": first_sender + i - 1,
            f"{role}_email_address": email,
            f"{role}_first_name": first,
            f"{role}_last_name": last,
            f"{role}_phone_no": phone,
        }
        for i, (first, last, email, phone) in enumerate(people, start=1)
    ]


def _agents(rng: random.Random, people: list[tuple]) -> list[_Agent]:
    """Agents with a personal pace and quality; some join or leave during the year."""
    agents = []
    for i, (first, *_rest) in enumerate(people):
        start, end, turnover = 0, 364, rng.random()
        if i > 0 and turnover < 0.15:  # agent 1 stays all year so someone is on duty
            start = rng.randint(30, 300)
        elif i > 0 and turnover < 0.21:
            end = rng.randint(60, 330)
        agents.append(
            _Agent(
                sender_id=i + 1,
                first_name=first,
                speed=rng.lognormvariate(0, 0.35),
                quality=rng.gauss(0, 0.35),
                capacity=rng.lognormvariate(0, 0.35),
                start_day=start,
                end_day=end,
            )
        )
    return agents


class _AgentPicker:
    """Weighted choice among the agents on staff on a given day."""

    def __init__(self, agents: list[_Agent]):
        self.by_sender = {a.sender_id: a for a in agents}
        self._agents = agents
        self._days: dict[int, tuple[list[_Agent], list[float]]] = {}

    def __call__(self, rng: random.Random, t: int, avoid: list[int]) -> _Agent | None:
        """An agent on duty at time t not in avoid, or None after a few misses."""
        day = min(t // DAY, 364)
        if day not in self._days:
            staff = [a for a in self._agents if a.start_day <= day <= a.end_day]
            cum, total = [], 0.0
            for a in staff:
                total += a.capacity
                cum.append(total)
            self._days[day] = (staff, cum)
        staff, cum = self._days[day]
        for _ in range(8):
            agent = staff[bisect(cum, rng.random() * cum[-1])]
            if agent.sender_id not in avoid:
                return agent
        return None


def _day_volume() -> list[float]:
    """Relative number of new tickets per day of 2025."""
    volume = []
    for day in range(365):
        date = START + timedelta(days=day)
        weight = MONTH_VOLUME[date.month - 1] * WEEKDAY_VOLUME[date.weekday()]
        if datetime(2025, 11, 28) <= date <= datetime(2025, 12, 5):
            weight *= 1.4  # Black Friday to Cyber Week
        volume.append(weight)
    return volume


def _tickets(
    rng: random.Random, n: int, n_customers: int, day_volume: list[float]
) -> list[_Ticket]:
    """Tickets in order of opening (ids follow time, as autoincrement would)."""
    cum, total = [], 0.0
    for day, weight in enumerate(day_volume):
        weekend = (START + timedelta(days=day)).weekday() >= 5
        for hour_weight in WEEKEND_HOURS if weekend else WORKDAY_HOURS:
            total += weight * hour_weight
            cum.append(total)
    opened = sorted(
        bisect(cum, rng.random() * total) * HOUR + rng.randrange(HOUR) for _ in range(n)
    )
    n_open = round(OPEN_SHARE * n)
    customers = _ticket_customers(rng, n, n_customers)
    tickets = []
    for i, t in enumerate(opened):
        month = (START + timedelta(seconds=t)).month
        weights = [
            share * (HOLIDAY_BOOST.get(cat, 1.0) if month in (1, 11, 12) else 1.0)
            for cat, (share, *_rest) in PROFILE.items()
        ]
        tickets.append(
            _Ticket(
                ticket_id=i + 1,
                customer=customers[i],
                category=rng.choices(CATEGORIES, weights)[0],
                opened=t,
                is_open=i >= n - n_open,
                n_agents=rng.choices(*AGENTS_PER_TICKET)[0],
            )
        )
    return tickets


def _ticket_customers(rng: random.Random, n: int, n_customers: int) -> list[int]:
    """Every customer opens a ticket (if there are enough); regulars open more."""
    if n <= n_customers:
        return rng.sample(range(n_customers), n)
    activity = [rng.lognormvariate(0, 0.6) for _ in range(n_customers)]
    owners = list(range(n_customers))
    owners += rng.choices(range(n_customers), activity, k=n - n_customers)
    rng.shuffle(owners)
    return owners


def _message_counts(rng: random.Random, tickets: list[_Ticket], total: int) -> None:
    """Messages per ticket, summing to exactly `total`.

    Open tickets are young, so they hold a few messages; resolved ones share the rest
    in proportion to their category and number of agents.
    """
    resolved = [t for t in tickets if not t.is_open]
    still_open = [t for t in tickets if t.is_open]
    spare = total - 2 * len(resolved) - len(still_open)  # resolved need 2, open 1
    for t in still_open:
        fits = 1 + (END - t.opened) // (2 * HOUR)  # room left before "now"
        t.n_messages = 1 + min(rng.randint(0, 9), fits - 1, spare)
        spare -= t.n_messages - 1
    rest = total - sum(t.n_messages for t in still_open)
    weights = [
        PROFILE[t.category][1]
        * (1 + 0.3 * (t.n_agents - 1))
        * rng.lognormvariate(0, 0.4)
        for t in resolved
    ]
    lows = [max(4, 2 * t.n_agents + 2) for t in resolved]
    if sum(lows) > rest:  # tiny scales: settle for customer + agent
        lows = [2] * len(resolved)
    high = max(MAX_MESSAGES, -(-rest // max(1, len(resolved))))
    per_weight = rest / sum(weights) if weights else 0
    counts = [
        min(high, max(lo, round(w * per_weight)))
        for w, lo in zip(weights, lows, strict=True)
    ]
    missing = rest - sum(counts)
    while missing:
        i = rng.randrange(len(counts))
        if missing > 0 and counts[i] < high:
            counts[i] += 1
            missing -= 1
        elif missing < 0 and counts[i] > lows[i]:
            counts[i] -= 1
            missing += 1
    for t, count in zip(resolved, counts, strict=True):
        t.n_messages = count


def _shift(t: int) -> tuple[int, int, bool]:
    """Start and end of the support shift on t's day, and whether it is a weekend."""
    day = t // DAY
    if (START.weekday() + day) % 7 < 5:
        return day * DAY + 8 * HOUR, day * DAY + 20 * HOUR, False
    return day * DAY + 10 * HOUR, day * DAY + 16 * HOUR, True


def agent_reply_gap(rng: random.Random, t: int, agent: _Agent, pace: float) -> int:
    """Seconds until the agent answers a message sent at t."""
    gap = MINUTE + int(
        rng.lognormvariate(math.log(20 * MINUTE * agent.speed * pace), 0.9)
    )
    start, end, weekend = _shift(t)
    if start <= t < end:
        return 2 * gap if weekend else gap  # fewer people on weekends
    if rng.random() < 0.25:  # the night shift
        return 3 * gap
    if t >= end:
        start = _shift(t + DAY)[0]
    return start - t + rng.randrange(2 * HOUR) + gap  # the queue is worked off


def customer_reply_gap(rng: random.Random, t: int, median: float) -> int:
    """Seconds until the customer answers at t; people sleep from 23:00 to 7:00."""
    reply = t + MINUTE + int(rng.lognormvariate(math.log(median), 1.2))
    day, second = divmod(reply, DAY)
    if second < 7 * HOUR or second >= 23 * HOUR:
        day += second >= 23 * HOUR
        reply = day * DAY + 7 * HOUR + rng.randrange(3 * HOUR)
    return reply - t


def _converse(
    rng: random.Random, t: _Ticket, customer: int, pick: _AgentPicker, load: float
) -> None:
    """Times, senders and kinds of one ticket's messages.

    The customer opens, then agent and customer take turns; later agents take over
    part way. Replies come at the speed of the category, the agent and the season.
    """
    _, _, pace, wait_chance, wait_hours = PROFILE[t.category]
    pace *= load
    n = t.n_messages
    unanswered = t.is_open and (n == 1 or rng.random() < 0.25)  # still in the queue
    agent_turns = 0 if unanswered else n // 2
    # A new agent takes over at a later turn; on a resolved ticket not just to close.
    turns = range(1, agent_turns - (not t.is_open))
    n_agents = min(t.n_agents, len(turns) + 1) if agent_turns else 0
    handovers = set(rng.sample(turns, n_agents - 1)) if n_agents else ()
    now, agent = t.opened, None
    t.times, t.senders, t.kinds = [now], [customer], ["open"]
    for i in range(1, n):
        if unanswered:
            now += HOUR + int(rng.lognormvariate(math.log(10 * HOUR), 0.8))
            sender, kind = customer, "nudge"
        elif i % 2:  # agent's turn
            turn = i // 2
            kind = "ask" if turn == 0 else "step"
            if agent is None or turn in handovers:
                successor = pick(rng, now, t.agents)
                if successor is not None:
                    if agent is not None:  # escalation takes a while
                        now += int(rng.lognormvariate(math.log(3 * HOUR), 0.8))
                        kind = "handover"
                    agent = successor
                    t.agents.append(agent.sender_id)
            if turn and rng.random() < wait_chance:  # carrier, billing, developers
                now += int(rng.lognormvariate(math.log(wait_hours * HOUR), 0.6))
            if not t.is_open and turn == agent_turns - 1:
                kind = "resolve"
            now += agent_reply_gap(rng, now, agent, pace)
            sender = agent.sender_id
        else:
            last = i == n - 1
            median = 20 * MINUTE if last and not t.is_open else 90 * MINUTE
            now += customer_reply_gap(rng, now, median * pace)
            sender = customer
            kind = "detail" if t.kinds[-1] == "ask" else "reply"
            if last:
                if t.is_open:
                    kind = "nudge" if rng.random() < 0.4 else "reply"
                else:
                    kind = "thanks"
        t.times.append(now)
        t.senders.append(sender)
        t.kinds.append(kind)
    _fit_before_end(rng, t)


def _fit_before_end(rng: random.Random, t: _Ticket) -> None:
    """Squeeze a conversation that would run past the end of the period into it."""
    if t.times[-1] <= END:
        return
    room = (END - t.opened) * rng.uniform(0.5, 0.95)
    factor = room / (t.times[-1] - t.opened)
    times = [t.opened + int((s - t.opened) * factor) for s in t.times]
    for i in range(1, len(times)):
        times[i] = max(times[i], times[i - 1] + 1)
    overflow = max(0, times[-1] - END)  # only if opened in its last seconds
    t.opened -= overflow
    t.times = [s - overflow for s in times]


def draw_rating(rng: random.Random, t: _Ticket, agents: dict[int, _Agent]) -> int:
    """1-5: faster resolutions and better agents score higher; handovers annoy."""
    hours = (t.times[-1] - t.times[0]) / HOUR
    quality = sum(agents[s].quality for s in t.agents) / len(t.agents)
    score = (
        4.9
        + quality
        - 0.45 * math.log((hours + 1) / 25)
        - 0.25 * (len(t.agents) - 1)
        + rng.gauss(0, 0.9)
        - (2.5 if rng.random() < 0.06 else 0)  # some people rate on other grounds
    )
    rating = min(5, max(1, round(score)))
    if t.kinds[-1] == "thanks":  # the customer's last words match the rating
        t.kinds[-1] = (
            "thanks" if rating >= 4 else "neutral" if rating == 3 else "unhappy"
        )
    return rating


def _messages(
    rng: random.Random,
    tickets: list[_Ticket],
    customer_names: list[str],
    agent_names: dict[int, str],
):
    """MESSAGE rows with ids in order of time, as autoincrement would give them."""
    order = sorted((s, t.ticket_id, i) for t in tickets for i, s in enumerate(t.times))
    contexts: dict[int, dict] = {}  # tickets under way
    for message_id, (s, ticket_id, i) in enumerate(order, start=1):
        t = tickets[ticket_id - 1]
        if i == 0:
            name = customer_names[t.customer]
            contexts[ticket_id] = texts.ticket_context(t.category, name, rng)
        ctx = contexts[ticket_id] if i < t.n_messages - 1 else contexts.pop(ticket_id)
        sender = t.senders[i]
        if sender in agent_names:  # customers thank the agent who spoke last
            ctx["agent"] = agent_names[sender]
        yield {
            "message_id": message_id,
            "ticket_id": ticket_id,
            "sender_id": sender,
            "message_sent_time": START + timedelta(seconds=s),
            "message_text": texts.message(t.kinds[i], t.category, ctx, rng),
        }


def _chunks(rows):
    """Lists of CHUNK rows (the last one shorter) from any iterable."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
