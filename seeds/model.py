"""How the mock support world behaves: one model for the generator and the simulator.

The generator (`seeds.generator`) plays it on whole numpy columns, a year at once;
the simulator (`seeds.simulate`) one event at a time on a live database. Each draws
its own random numbers and hands them in (z: a standard normal draw, u: uniform in
[0, 1)), so every rule here is a pure function that takes numpy arrays and single
numbers alike. Times are whole seconds after START.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import numpy as np

from dashboard.data.schema import CATEGORIES
from seeds.texts import MAX_AGENT_STEPS

# The spec's data set: its proportions (16.8 messages a ticket) are the model's.
BASE_AGENTS, BASE_CUSTOMERS, BASE_TICKETS, BASE_MESSAGES = 34, 123, 377, 6341

START = datetime(2025, 1, 1)
DAY, HOUR, MINUTE = 86_400, 3_600, 60
MAX_MESSAGES = 2 * (MAX_AGENT_STEPS + 2)  # a ticket's, so agents never run out of words

# --- traffic ---------------------------------------------------------------------

# More tickets after the holidays and around Black Friday / Christmas.
MONTH_VOLUME = (1.10, 0.90, 0.95, 0.92, 0.95, 0.97, 1.00, 0.95, 0.98, 1.02, 1.18, 1.30)
WEEKDAY_VOLUME = (1.15, 1.10, 1.05, 1.05, 0.95, 0.50, 0.45)  # Monday first
WORKDAY_HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 14, 22, 24, 23, 19, 21, 23, 22, 19, 16, 12,
                 9, 8, 6, 4, 2)  # fmt: skip
WEEKEND_HOURS = (2, 1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 13, 13, 12, 12, 12, 11, 11, 10,
                 10, 9, 7, 5, 3)  # fmt: skip


def day_volume(day: date) -> float:
    """Relative number of new tickets on a day, by its month and weekday."""
    return MONTH_VOLUME[day.month - 1] * WEEKDAY_VOLUME[day.weekday()]


# --- categories ------------------------------------------------------------------


class Profile(NamedTuple):
    """How tickets of one category go."""

    share: float  # of all tickets
    length: float  # relative number of messages
    pace: float  # multiplies every reply gap
    wait_chance: float  # chance an agent message waits on a third party...
    wait_hours: float  # ...typically this long (carrier, billing, developers)
    one_touch: float  # chance a one-agent ticket is resolved by the first reply


PROFILE = {
    "Account access": Profile(0.17, 0.50, 0.30, 0.02, 3, 0.45),
    "Bug report": Profile(0.15, 1.10, 1.00, 0.12, 30, 0.05),
    "Order cancellation": Profile(0.16, 0.80, 0.70, 0.06, 10, 0.30),
    "Overcharged transaction": Profile(0.15, 1.00, 0.90, 0.10, 24, 0.12),
    "Undelivered goods": Profile(0.19, 1.30, 1.40, 0.16, 40, 0.06),
    "Wrong order": Profile(0.18, 1.05, 1.10, 0.10, 30, 0.10),
}
assert tuple(PROFILE) == CATEGORIES  # the columns below are indexed by category code
PROFILE_COLUMNS = {name: np.array([getattr(p, name) for p in PROFILE.values()])
                   for name in Profile._fields}  # fmt: skip
"""Each Profile field as an array over CATEGORIES, for columns of category codes."""

# Shipping problems pile up in the holiday season.
HOLIDAY_MONTHS = (1, 11, 12)
HOLIDAY_BOOST = {"Undelivered goods": 1.7, "Wrong order": 1.3}
_BOOST = np.array([HOLIDAY_BOOST.get(c, 1.0) for c in CATEGORIES])


def category_weights(month):
    """Relative chance of each category (in CATEGORIES order) for a ticket opened in
    `month` (1-12); for an array of months, a row each."""
    holidays = np.isin(month, HOLIDAY_MONTHS)[..., None]
    return PROFILE_COLUMNS["share"] * np.where(holidays, _BOOST, 1.0)


# --- agents ----------------------------------------------------------------------

# How agents differ, all year: the sigma of their speed (log-normal around 1), of
# their quality (normal around 0) and of their capacity (log-normal around 1). A
# parameter that each side draws with, not a function of z: numpy's lognormal is
# not bit for bit np.exp(sigma * z), and the generator's data must not change.
AGENT_SPREAD = 0.35
AGENTS_PER_TICKET = ((1, 2, 3), (0.70, 0.22, 0.08))  # values, shares


@dataclass(frozen=True)
class Agent:
    """An agent's lasting traits; the defaults are the average agent's, the pace of
    the queue before anyone has taken a ticket. (Capacity, their share of new
    tickets, matters only to the generator, which shares out a year at once.)"""

    speed: float = 1.0  # multiplies their reply gaps
    quality: float = 0.0  # shifts the ratings of their tickets


def is_one_touch(wanted, chance, u):
    """Whether a ticket is resolved by the first answer: only a one-agent ticket, with
    its category's `chance` (Profile.one_touch)."""
    return (np.asarray(wanted) == 1) & (u < chance)


def handover_turns(agent_turns, closes, wanted, u1, u2):
    """The agent turns (0-based agent messages) at which a new agent takes over, two
    per ticket (-1: none), for `wanted` agents in all.

    Never at the first turn, nor just to close (when the ticket `closes` with its
    last agent turn): two distinct turns among 1 .. agent_turns - 1 - closes, as
    many as fit; u1 and u2 pick them."""
    spots = np.maximum(np.asarray(agent_turns) - closes - 1, 0)
    planned = np.where(np.asarray(agent_turns) > 0, np.minimum(wanted, spots + 1), 0)
    first = 1 + np.floor(u1 * spots).astype(np.int64)
    second = 1 + np.floor(u2 * (spots - 1)).astype(np.int64)
    second += second >= first
    return np.stack(
        [np.where(planned >= 2, first, -1), np.where(planned >= 3, second, -1)],
        axis=-1,
    )


# --- reply timing ----------------------------------------------------------------

REPLY_MEDIAN = 90 * MINUTE  # a customer's typical reply, times the ticket's pace
THANKS_MEDIAN = 20 * MINUTE  # the thank-you after a resolution


def _shift(t):
    """Start and end of the support shift on t's day, and whether it is a weekend."""
    day = t // DAY
    weekend = (START.weekday() + day) % 7 >= 5
    start = day * DAY + np.where(weekend, 10 * HOUR, 8 * HOUR)
    end = day * DAY + np.where(weekend, 16 * HOUR, 20 * HOUR)
    return start, end, weekend


def agent_reply_gap(t, pace, z, night, queue):
    """Seconds until an agent answers a message sent at t.

    pace multiplies the typical 20 minutes (the agent's speed times the category's
    pace and the season's load); z is a standard normal draw, night and queue
    uniform draws in [0, 1). Within the shift the gap is log-normal (doubled on
    weekends, when fewer people work); outside it a night shift answers a quarter of
    the time, slowly, and otherwise the message waits for the next shift's queue."""
    gap = MINUTE + np.floor(20 * MINUTE * pace * np.exp(0.9 * z))
    start, end, weekend = _shift(t)
    next_start = np.where(t >= end, _shift(t + DAY)[0], start)
    queued = next_start - t + np.floor(queue * 2 * HOUR) + gap
    off_hours = np.where(night < 0.25, 3 * gap, queued)
    on_shift = (start <= t) & (t < end)
    return np.where(on_shift, np.where(weekend, 2 * gap, gap), off_hours).astype(
        np.int64
    )


def customer_reply_gap(t, median, z, morning):
    """Seconds until the customer answers a message sent at t: log-normal around
    `median` seconds (z standard normal); people sleep from 23:00 to 7:00 and answer
    in the first three hours after (morning uniform in [0, 1))."""
    reply = t + MINUTE + np.floor(median * np.exp(1.2 * z))
    day, second = np.divmod(reply, DAY)
    wakes = (
        (day + (second >= 23 * HOUR)) * DAY + 7 * HOUR + np.floor(morning * 3 * HOUR)
    )
    asleep = (second < 7 * HOUR) | (second >= 23 * HOUR)
    return (np.where(asleep, wakes, reply) - t).astype(np.int64)


def nudge_delay(z):
    """Seconds a customer nobody has answered waits before chasing: an hour, and
    then typically ten more."""
    return (HOUR + np.floor(10 * HOUR * np.exp(0.8 * z))).astype(np.int64)


def escalation_delay(z):
    """Seconds a hand-over to a colleague adds to the reply: typically three hours."""
    return np.floor(3 * HOUR * np.exp(0.8 * z)).astype(np.int64)


def third_party_wait(turn, chance, hours, u, z):
    """Seconds an agent's reply at `turn` waits on a third party (a carrier, billing,
    the developers): with the category's `chance`, typically `hours` long; never the
    first answer, and 0 when it does not wait."""
    waits = (np.asarray(turn) > 0) & (u < chance)
    wait = np.floor(hours * HOUR * np.exp(0.6 * z)).astype(np.int64)
    return np.where(waits, wait, 0)


# --- ratings ---------------------------------------------------------------------

# Chance that a resolved ticket is never rated, by the rating the customer would
# have given (1-5): the lukewarm rate least, the delighted and the angry most.
UNRATED = (0.12, 0.18, 0.35, 0.26, 0.18)


def draw_rating(hours, quality, n_agents, z, grumpy):
    """The 1-5 rating a customer gives: faster resolutions and better agents (mean
    quality of the ticket's agents) score higher, hand-overs annoy; z standard
    normal, and 6 % of people (grumpy uniform < 0.06) rate on other grounds."""
    score = (
        4.9
        + quality
        - 0.45 * np.log((np.asarray(hours) + 1) / 25)
        - 0.25 * (np.asarray(n_agents) - 1)
        + 0.9 * z
        - np.where(grumpy < 0.06, 2.5, 0.0)
    )
    return np.clip(np.rint(score), 1, 5).astype(np.int64)


def is_rated(rating, skip):
    """Whether the customer leaves the rating (skip uniform in [0, 1))."""
    return skip >= np.asarray(UNRATED)[np.asarray(rating) - 1]
