"""Deterministic mock support data: one year (2025) of tickets, messages and people.

The generator plays the model (`seeds.model`) on whole columns with numpy: every
ticket is drawn at once, and the conversations are played out message by message
across all tickets together (the n-th message of every ticket in one step), so 6
million messages take seconds. The simulator (`seeds.simulate`) plays the same model
one event at a time.

Everything comes from one `numpy.random.SeedSequence(seed)`, split into independent
streams per part of the model (people, agents, tickets, ...), and times are whole
seconds, so a seed and scale give the same rows on SQLite and MariaDB on any machine
(with the same numpy, and Faker's name lists of the same version).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from dashboard.data.schema import AGENT, CATEGORIES, CUSTOMER, MESSAGE, SENDER, TICKET
from seeds import load, texts
from seeds.model import (
    AGENT_SPREAD,
    AGENTS_PER_TICKET,
    BASE_AGENTS,
    BASE_CUSTOMERS,
    BASE_MESSAGES,
    BASE_TICKETS,
    DAY,
    HOUR,
    MAX_MESSAGES,
    PROFILE_COLUMNS,
    REPLY_MEDIAN,
    START,
    THANKS_MEDIAN,
    WEEKEND_HOURS,
    WORKDAY_HOURS,
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
from seeds.people import AGENT_DOMAIN, CUSTOMER_DOMAINS, make_people

END = 365 * DAY - 1  # 2025-12-31 23:59:59, in seconds after START; "now" for the data
OPEN_SHARE = 0.10  # the most recently opened tickets are still open
CHUNK = 50_000  # messages written at a time

_STREAMS = ("people", "agents", "tickets", "conversations", "ratings", "texts")


def populate(
    conn,
    seed: int = 42,
    scale: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Fill an empty support database (schema already created) with mock data.

    Inserts with explicit ids in the caller's transaction (in bulk: see seeds.load);
    `progress(done, total)` is called before anything is made (done = 0) and as
    rows go in. Returns rows per table.
    """
    n_agents, n_customers, n_tickets, n_messages = sizes(scale)
    counts = {
        SENDER.name: n_agents + n_customers,
        CUSTOMER.name: n_customers,
        AGENT.name: n_agents,
        TICKET.name: n_tickets,
        MESSAGE.name: n_messages,
    }
    total = sum(counts.values())
    if progress is not None:
        progress(0, total)
    load.insert(conn, generate(seed, scale).tables(), total, progress)
    return counts


# --- the data set ---------------------------------------------------------------------


@dataclass
class Data:
    """A generated data set as columns (ticket and agent indexes are 0-based)."""

    agents: list[tuple]
    customers: list[tuple]
    ticket_customer: np.ndarray
    ticket_category: np.ndarray  # codes into CATEGORIES
    ticket_open: np.ndarray
    ticket_rating: np.ndarray  # 0: unrated
    # messages, in id order
    message_ticket: np.ndarray
    message_sender: np.ndarray  # sender ids
    message_time: np.ndarray  # seconds after START
    message_templates: np.ndarray  # 3 x messages: texts.TEMPLATES ids
    message_agent: np.ndarray  # sender id of the agent who spoke last, 0 if none
    stories: texts.Stories

    @property
    def n_agents(self) -> int:
        return len(self.agents)

    @property
    def n_customers(self) -> int:
        return len(self.customers)

    @property
    def n_tickets(self) -> int:
        return len(self.ticket_customer)

    @property
    def n_messages(self) -> int:
        return len(self.message_ticket)

    def tables(self) -> Iterator[tuple]:
        """(table, batches of columns) in foreign-key order; a batch maps each column
        name to a numpy array or a list, times as numpy datetime64. The messages come
        in batches of CHUNK, their texts made as they are asked for."""
        n_agents = self.n_agents
        senders = np.arange(1, n_agents + self.n_customers + 1)
        sender_type = np.where(senders <= n_agents, "agent", "customer").tolist()
        yield SENDER, [{"sender_id": senders, "sender_type": sender_type}]
        yield CUSTOMER, [_person_columns("customer", self.customers, n_agents + 1)]
        yield AGENT, [_person_columns("agent", self.agents, 1)]
        rating = self.ticket_rating.astype(object)
        rating[self.ticket_rating == 0] = None
        ticket = {
            "ticket_id": np.arange(1, self.n_tickets + 1),
            "customer_id": self.ticket_customer + 1,
            "ticket_category": np.asarray(CATEGORIES)[self.ticket_category].tolist(),
            "ticket_rating": rating.tolist(),
            "ticket_status": np.where(self.ticket_open, "open", "resolved").tolist(),
        }
        yield TICKET, [ticket]
        yield MESSAGE, self._messages()

    def _messages(self) -> Iterator[dict]:
        names = np.asarray([""] + [first for first, *_ in self.agents], dtype=object)
        for start in range(0, self.n_messages, CHUNK):
            part = slice(start, start + CHUNK)
            tickets = self.message_ticket[part]
            unique = np.unique(tickets)
            contexts = self.stories.contexts(unique, self.ticket_customer[unique])
            yield {
                "message_id": np.arange(start + 1, start + len(tickets) + 1),
                "ticket_id": tickets + 1,
                "sender_id": self.message_sender[part],
                "message_sent_time": np.datetime64(START, "s")
                + self.message_time[part].astype("timedelta64[s]"),
                "message_text": texts.render(
                    self.message_templates[:, part],
                    contexts,
                    tickets.tolist(),
                    names[self.message_agent[part]].tolist(),
                ),
            }


def _person_columns(role: str, people: list[tuple], first_sender: int) -> dict:
    firsts, lasts, emails, phones = (list(c) for c in zip(*people, strict=True))
    return {
        f"{role}_id": np.arange(1, len(people) + 1),
        "sender_id": np.arange(first_sender, first_sender + len(people)),
        f"{role}_email_address": emails,
        f"{role}_first_name": firsts,
        f"{role}_last_name": lasts,
        f"{role}_phone_no": np.asarray(phones, dtype=np.int64),
    }


def sizes(scale: float) -> tuple[int, int, int, int]:
    """(agents, customers, tickets, messages) at a scale: the spec's data set
    (model.BASE_*) times `scale`, agents times its square root."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    n_tickets = max(1, round(BASE_TICKETS * scale))
    return (
        max(1, round(BASE_AGENTS * scale**0.5)),
        max(1, round(BASE_CUSTOMERS * scale)),
        n_tickets,
        max(round(BASE_MESSAGES * scale), 2 * n_tickets),
    )


def generate(seed: int = 42, scale: float = 1.0) -> Data:
    """The whole data set for a seed and scale."""
    n_agents, n_customers, n_tickets, n_messages = sizes(scale)
    rng = dict(
        zip(
            _STREAMS,
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)),
            strict=True,
        )
    )
    agent_people = make_people(rng["people"], n_agents, (AGENT_DOMAIN,))
    customer_people = make_people(rng["people"], n_customers, CUSTOMER_DOMAINS)
    agents = _Agents(rng["agents"], n_agents)
    tickets = _Tickets(rng["tickets"], n_tickets, n_customers, n_messages)
    talk = _Conversations(rng["conversations"], tickets, agents, n_agents)
    rating = _rate(rng["ratings"], tickets, talk, agents)

    # every ticket's messages (cells of the tickets x messages arrays), in id order
    cells = np.arange(talk.times.shape[1]) < tickets.n_messages[:, None]
    ticket_of, position = np.nonzero(cells)
    times = talk.times[cells]
    order = np.lexsort((position, ticket_of, times))  # ids follow time, then ticket
    templates = _templates(rng["texts"], talk.kinds, tickets.category, cells)
    return Data(
        agents=agent_people,
        customers=customer_people,
        ticket_customer=tickets.customer,
        ticket_category=tickets.category,
        ticket_open=tickets.is_open,
        ticket_rating=rating,
        message_ticket=ticket_of[order],
        message_sender=talk.senders[cells][order],
        message_time=times[order],
        message_templates=templates[:, order],
        message_agent=_last_agent(talk.senders, n_agents)[cells][order],
        stories=texts.Stories(
            tickets.category, [first for first, *_ in customer_people], rng["texts"]
        ),
    )


def _templates(rng, kinds: np.ndarray, category: np.ndarray, cells) -> np.ndarray:
    """Template ids (3 x messages, in cell order) for every message: texts.choose,
    told how often each ticket drew from each pool it must not repeat."""
    ticket_of = np.nonzero(cells)[0]
    ordinals: dict[str, np.ndarray] = {}
    for pool, users in texts.UNREPEATED.items():
        uses = np.isin(kinds, [texts.KIND[k] for k in users])
        ordinals[pool] = (np.cumsum(uses, axis=1) - uses)[cells]
    return texts.choose(
        kinds[cells],
        category[ticket_of],
        ticket_of,
        ordinals,
        texts.shuffled_pools(category, rng),
        rng,
    )


def _last_agent(senders: np.ndarray, n_agents: int) -> np.ndarray:
    """Per message, the sender id of the latest agent message up to it (0: none)."""
    is_agent = (senders >= 1) & (senders <= n_agents)
    spoke = np.where(is_agent, np.arange(senders.shape[1]), -1)
    last = np.maximum.accumulate(spoke, axis=1)
    return np.where(last >= 0, np.take_along_axis(senders, np.maximum(last, 0), 1), 0)


class _Agents:
    """Agents with a personal pace and quality; some join or leave during the year.
    Agent 0 stays all year, so someone is always on duty."""

    def __init__(self, rng: np.random.Generator, n: int):
        self.speed = rng.lognormal(0, AGENT_SPREAD, n)  # model.Agent's traits
        self.quality = rng.normal(0, AGENT_SPREAD, n)
        capacity = rng.lognormal(0, AGENT_SPREAD, n)  # relative share of new tickets
        turnover = rng.random(n)
        joins = rng.integers(30, 301, n)
        leaves = rng.integers(60, 331, n)
        turnover[0] = 1.0
        start = np.where(turnover < 0.15, joins, 0)
        end = np.where((turnover >= 0.15) & (turnover < 0.21), leaves, 364)
        days = np.arange(365)[:, None]
        on_duty = (start <= days) & (days <= end)
        weights = on_duty * capacity
        cum = np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True)
        cum[:, -1] = 1.0
        # One sorted array for every day (day d's weights run from d to d + 1), so a
        # single searchsorted picks for tickets on different days.
        self._cum = (cum + days).ravel()
        self._last = n - 1 - np.argmax(on_duty[:, ::-1], axis=1)
        self._n = n

    def pick(self, rng: np.random.Generator, t, avoid: np.ndarray) -> np.ndarray:
        """An agent on duty at each time t, weighted by capacity, not among the
        ticket's agents (rows of avoid, -1 for none); -1 after eight misses."""
        day = np.minimum(t // DAY, 364)
        picked = np.full(len(t), -1)
        todo = np.arange(len(t))
        for _ in range(8):
            d = day[todo]
            draw = np.searchsorted(self._cum, d + rng.random(todo.size), "right")
            draw = np.minimum(draw - d * self._n, self._last[d])
            fresh = ~(avoid[todo] == draw[:, None]).any(axis=1)
            picked[todo[fresh]] = draw[fresh]
            todo = todo[~fresh]
            if not todo.size:
                break
        return picked


def _day_volume() -> np.ndarray:
    """Relative number of new tickets per day of 2025."""
    dates = [START + timedelta(days=d) for d in range(365)]
    volume = np.array([day_volume(d) for d in dates])
    black_friday = [datetime(2025, 11, 28) <= d <= datetime(2025, 12, 5) for d in dates]
    return volume * np.where(black_friday, 1.4, 1.0)  # to Cyber Week


class _Tickets:
    """Tickets in order of opening (ids follow time, as autoincrement would), with
    their category, customer, wanted number of agents and number of messages."""

    def __init__(self, rng, n: int, n_customers: int, n_messages: int):
        volume = _day_volume()
        weekend = (START.weekday() + np.arange(365)) % 7 >= 5
        hours = np.where(weekend[:, None], WEEKEND_HOURS, WORKDAY_HOURS)
        slots = (volume[:, None] * hours).ravel()  # each hour of the year
        self.opened = np.sort(
            rng.choice(slots.size, n, p=slots / slots.sum()) * HOUR
            + rng.integers(0, HOUR, n)
        )
        self.is_open = np.arange(n) >= n - round(OPEN_SHARE * n)
        self.customer = _ticket_customers(rng, n, n_customers)
        month = np.datetime64(START, "s") + self.opened.astype("timedelta64[s]")
        month = month.astype("datetime64[M]").astype(int) % 12 + 1
        cum = np.cumsum(category_weights(month), axis=1)
        self.category = (rng.random(n)[:, None] * cum[:, -1:] >= cum).sum(axis=1)
        values, shares = AGENTS_PER_TICKET
        self.wanted = rng.choice(values, n, p=shares)
        self.one_touch = ~self.is_open & is_one_touch(
            self.wanted, PROFILE_COLUMNS["one_touch"][self.category], rng.random(n)
        )
        self.load = (volume[self.opened // DAY] / volume.mean()) ** 0.6
        self.n_messages = self._message_counts(rng, n_messages)

    def _message_counts(self, rng, total: int) -> np.ndarray:
        """Messages per ticket, summing to exactly `total`.

        Open tickets are young, so they hold a few messages; a one-touch ticket is
        the customer's message, the agent's answer and maybe a thank-you; the other
        resolved ones share the rest in proportion to their category and number of
        agents."""
        counts = np.zeros(len(self.opened), dtype=np.int64)
        still_open = np.flatnonzero(self.is_open)
        resolved = np.flatnonzero(~self.is_open)
        spare = total - 2 * resolved.size - still_open.size  # resolved need 2, open 1
        fits = 1 + (END - self.opened[still_open]) // (2 * HOUR)  # room before "now"
        extra = np.minimum(rng.integers(0, 10, still_open.size), fits - 1)
        before = np.cumsum(extra) - extra
        counts[still_open] = 1 + np.clip(np.minimum(extra, spare - before), 0, None)

        rest = total - counts[still_open].sum()
        one = self.one_touch[resolved]
        wanted = self.wanted[resolved]
        weights = (
            PROFILE_COLUMNS["length"][self.category[resolved]]
            * (1 + 0.3 * (wanted - 1))
            * rng.lognormal(0, 0.4, resolved.size)
        )
        low = np.where(one, 2, np.maximum(4, 2 * wanted + 2))
        high = np.where(one, 3, MAX_MESSAGES)
        if low.sum() > rest:  # tiny scales: settle for customer + agent
            low[:] = 2
        thanks = 2 + (rng.random(resolved.size) < 0.6)
        others = weights[~one].sum()
        per_weight = (rest - thanks[one].sum()) / others if others else 0
        wish = np.where(one, thanks, np.rint(weights * per_weight))
        share = np.clip(wish, low, high).astype(np.int64)
        missing = rest - share.sum()
        while missing:  # hand out the rounding error one message at a time
            room = np.flatnonzero(share < high if missing > 0 else share > low)
            room = rng.permutation(room)[: abs(missing)]
            share[room] += np.sign(missing)
            missing -= np.sign(missing) * room.size
        counts[resolved] = share
        return counts


def _ticket_customers(rng, n: int, n_customers: int) -> np.ndarray:
    """Every customer opens a ticket (if there are enough); regulars open more."""
    if n <= n_customers:
        return rng.choice(n_customers, n, replace=False)
    activity = rng.lognormal(0, 0.6, n_customers)
    extra = rng.choice(n_customers, n - n_customers, p=activity / activity.sum())
    return rng.permutation(np.concatenate([np.arange(n_customers), extra]))


_KIND = texts.KIND


class _Conversations:
    """Times, senders and kinds of every ticket's messages (tickets x messages).

    The customer opens, then agent and customer take turns; later agents take over
    part way. Replies come at the speed of the category, the agent and the season.
    An open ticket may still wait for its first answer (the customer nudging)."""

    def __init__(self, rng, tk: _Tickets, agents: _Agents, n_agents: int):
        n = tk.n_messages
        rows, width = len(n), int(n.max())
        self.times = np.zeros((rows, width), dtype=np.int64)
        self.senders = np.zeros((rows, width), dtype=np.int32)
        self.kinds = np.zeros((rows, width), dtype=np.int8)
        customer = n_agents + 1 + tk.customer  # sender ids
        resolved = ~tk.is_open
        category = tk.category
        pace = PROFILE_COLUMNS["pace"][category] * tk.load
        unanswered = tk.is_open & ((n == 1) | (rng.random(rows) < 0.25))
        agent_turns = np.where(unanswered, 0, n // 2)
        handover = handover_turns(
            agent_turns, resolved, tk.wanted, rng.random(rows), rng.random(rows)
        )
        self.agents = np.full((rows, 3), -1)  # agent indexes, in order of joining
        joined = np.zeros(rows, dtype=np.int64)
        current = np.full(rows, -1)

        now = tk.opened.copy()
        self.times[:, 0] = now
        self.senders[:, 0] = customer
        self.kinds[:, 0] = _KIND["open"]
        for i in range(1, width):
            talking = n > i
            nudging = np.flatnonzero(talking & unanswered)
            now[nudging] += nudge_delay(rng.normal(size=nudging.size))
            self.senders[nudging, i] = customer[nudging]
            self.kinds[nudging, i] = _KIND["nudge"]

            rs = np.flatnonzero(talking & ~unanswered)
            turn = i // 2
            if i % 2:  # the agents' turn
                cur = current[rs]
                kind = np.full(rs.size, _KIND["ask" if turn == 0 else "step"])
                needs = (cur < 0) | (handover[rs] == turn).any(axis=1)
                asked = np.flatnonzero(needs)
                successor = agents.pick(rng, now[rs[asked]], self.agents[rs[asked]])
                found = asked[successor >= 0]
                successor = successor[successor >= 0]
                takes_over = cur[found] >= 0
                escalation = escalation_delay(rng.normal(size=found.size))
                now[rs[found]] += np.where(takes_over, escalation, 0)
                kind[found[takes_over]] = _KIND["handover"]
                cur[found] = successor
                current[rs] = cur
                self.agents[rs[found], joined[rs[found]]] = successor
                joined[rs[found]] += 1

                c = category[rs]
                now[rs] += third_party_wait(
                    turn,
                    PROFILE_COLUMNS["wait_chance"][c],
                    PROFILE_COLUMNS["wait_hours"][c],
                    rng.random(rs.size),
                    rng.normal(size=rs.size),
                )
                closing = resolved[rs] & (turn == agent_turns[rs] - 1)
                kind[closing] = _KIND["solve" if turn == 0 else "resolve"]
                now[rs] += agent_reply_gap(
                    now[rs],
                    agents.speed[cur] * pace[rs],
                    rng.normal(size=rs.size),
                    rng.random(rs.size),
                    rng.random(rs.size),
                )
                self.senders[rs, i] = cur + 1
                self.kinds[rs, i] = kind
            else:  # the customer's
                last = n[rs] == i + 1
                done = last & resolved[rs]
                median = np.where(done, THANKS_MEDIAN, REPLY_MEDIAN) * pace[rs]
                now[rs] += customer_reply_gap(
                    now[rs], median, rng.normal(size=rs.size), rng.random(rs.size)
                )
                after_ask = self.kinds[rs, i - 1] == _KIND["ask"]
                kind = np.where(after_ask, _KIND["detail"], _KIND["reply"])
                nudge = rng.random(rs.size) < 0.4
                kind = np.where(last & ~done & nudge, _KIND["nudge"], kind)
                kind = np.where(last & ~done & ~nudge, _KIND["reply"], kind)
                kind = np.where(done, _KIND["thanks"], kind)
                self.senders[rs, i] = customer[rs]
                self.kinds[rs, i] = kind
            self.times[talking, i] = now[talking]
        self._fit_before_end(rng, tk.opened, n)

    def _fit_before_end(self, rng, opened: np.ndarray, n: np.ndarray) -> None:
        """Squeeze conversations that would run past the end of the period into it,
        keeping their messages at least a second apart."""
        last = self.times[np.arange(len(n)), n - 1]
        late = np.flatnonzero(last > END)
        if not late.size:
            return
        start = opened[late, None]
        room = (END - start) * rng.uniform(0.5, 0.95, (late.size, 1))
        factor = room / (last[late, None] - start)
        times = start + np.floor((self.times[late] - start) * factor).astype(np.int64)
        steps = np.arange(times.shape[1])
        times = np.maximum.accumulate(times - steps, axis=1) + steps
        inside = steps < n[late, None]
        ends = np.where(inside, times, 0).max(axis=1)
        overflow = np.maximum(0, ends - END)  # only if opened in its last seconds
        self.times[late] = np.where(inside, times - overflow[:, None], 0)


def _rate(rng, tk: _Tickets, talk: _Conversations, agents: _Agents) -> np.ndarray:
    """Ratings of resolved tickets (0: open, or resolved but never rated), and the
    customer's last words matched to the rating they would give."""
    rows = np.flatnonzero(~tk.is_open)
    n = tk.n_messages[rows]
    first, last = talk.times[rows, 0], talk.times[rows, n - 1]
    team = talk.agents[rows]
    quality = np.where(team >= 0, agents.quality[np.maximum(team, 0)], 0.0)
    n_agents = (team >= 0).sum(axis=1)
    feels = draw_rating(
        (last - first) / HOUR,
        quality.sum(axis=1) / n_agents,
        n_agents,
        rng.normal(size=rows.size),
        rng.random(rows.size),
    )
    rated = is_rated(feels, rng.random(rows.size))
    ratings = np.zeros(len(tk.n_messages), dtype=np.int64)
    ratings[rows] = np.where(rated, feels, 0)
    words = talk.kinds[rows, n - 1]
    thanks = words == _KIND["thanks"]
    words = np.where(feels == 3, _KIND["neutral"], words)
    words = np.where(feels <= 2, _KIND["unhappy"], words)
    talk.kinds[rows, n - 1] = np.where(thanks, words, talk.kinds[rows, n - 1])
    return ratings
