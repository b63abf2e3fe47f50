"""The shared model's rules (seeds.model) on hand-picked draws, for single numbers
and numpy columns alike, as the simulator and the generator call them."""

from datetime import date

import numpy as np
import pytest

from seeds.model import (
    HOUR,
    category_weights,
    day_volume,
    escalation_delay,
    handover_turns,
    is_one_touch,
    nudge_delay,
    third_party_wait,
)


@pytest.mark.parametrize(
    ("agent_turns", "closes", "wanted", "u1", "u2", "turns"),
    [
        # six agent messages, the last closes: hand-overs at two of turns 1-4
        (6, True, 3, 0.0, 0.0, [1, 2]),  # u2 lands on the first pick: the next one
        (6, True, 3, 0.99, 0.99, [4, 3]),  # 1 + floor(3.96); 1 + floor(2.97)
        (6, True, 2, 0.5, 0.5, [3, -1]),  # 1 + floor(2.0): one hand-over
        (6, True, 1, 0.5, 0.5, [-1, -1]),
        (3, True, 3, 0.9, 0.9, [1, -1]),  # only turn 1 is neither first nor closing
        (2, True, 3, 0.5, 0.5, [-1, -1]),  # the ask and the resolution: no room
        (3, False, 2, 0.6, 0.0, [2, -1]),  # an open ticket's last turn is fair game
        (0, False, 3, 0.5, 0.5, [-1, -1]),  # nobody has answered
    ],
)
def test_model001_handover_turns_for_one_ticket(
    agent_turns, closes, wanted, u1, u2, turns
):
    assert handover_turns(agent_turns, closes, wanted, u1, u2).tolist() == turns


def test_model002_handover_turns_are_distinct_later_turns_for_a_column():
    u = np.linspace(0, 0.999, 40)
    u1, u2 = np.repeat(u, 40), np.tile(u, 40)
    n = u1.size
    got = handover_turns(np.full(n, 7), np.ones(n, bool), np.full(n, 3), u1, u2)
    assert got.shape == (n, 2)
    first, second = got.T
    assert set(first) == {1, 2, 3, 4, 5}  # not the first turn, not the closing 6th
    assert set(second) == {1, 2, 3, 4, 5}
    assert (first != second).all()


def test_model003_holiday_months_bring_more_shipping_problems():
    may, december = category_weights(5), category_weights(12)
    # Undelivered goods x 1.7, Wrong order x 1.3; the other four unchanged
    assert (december / may).tolist() == pytest.approx([1, 1, 1, 1, 1.7, 1.3])
    rows = category_weights(np.array([1, 2, 10, 11]))
    assert rows.shape == (4, 6)
    assert rows[:, 4] / rows[1, 4] == pytest.approx([1.7, 1, 1, 1.7])


def test_model004_day_volume_by_month_and_weekday():
    assert day_volume(date(2025, 1, 6)) == pytest.approx(1.10 * 1.15)  # Jan, Monday
    assert day_volume(date(2025, 12, 28)) == pytest.approx(1.30 * 0.45)  # Dec, Sunday


def test_model005_only_one_agent_tickets_are_one_touch():
    assert is_one_touch(1, 0.3, 0.29)
    assert not is_one_touch(1, 0.3, 0.3)
    assert not is_one_touch(2, 0.9, 0.0)
    wanted, chance = np.array([1, 1, 3]), np.array([0.5, 0.1, 0.5])
    assert is_one_touch(wanted, chance, np.array([0.2, 0.2, 0.2])).tolist() == [
        True,
        False,
        False,
    ]


def test_model006_waits_on_third_parties_and_colleagues():
    # a day's typical wait, with chance 0.1: drawn at u 0.05, not at 0.2 nor on the
    # first answer; z = 1 stretches it by e^0.6
    assert third_party_wait(1, 0.1, 24, 0.05, 0.0) == 24 * HOUR
    assert third_party_wait(1, 0.1, 24, 0.2, 0.0) == 0
    assert third_party_wait(0, 0.1, 24, 0.0, 0.0) == 0
    assert third_party_wait(2, 0.1, 24, 0.05, 1.0) == 157_431  # 86400 * 1.8221188
    column = third_party_wait(3, np.array([0.1, 0.5]), np.array([3, 40]), 0.3, 0.0)
    assert column.tolist() == [0, 40 * HOUR]
    assert escalation_delay(0.0) == 3 * HOUR
    assert nudge_delay(0.0) == 11 * HOUR  # an hour, then typically ten
    assert nudge_delay(np.array([-50.0, 0.0])).tolist() == [HOUR, 11 * HOUR]
