"""Simulated days: counters never exceed their capacity, first come first served."""

from __future__ import annotations

import math

import pytest

from policy_sim import scenario
from policy_sim.clock import Agenda
from policy_sim.clock import CounterQueue
from policy_sim.clock import date_of
from policy_sim.clock import open_days


@pytest.mark.parametrize("rate", [0.0, 0.07, 0.5, 1.0, 2.4, 7.0])
def test_bookings_never_exceed_the_capacity_of_a_day(rate):
    queue = CounterQueue(rate, horizon=100)
    booked = [queue.book(day % 30) for day in range(400)]
    for day, visits in queue.visits.items():
        assert visits <= queue.capacity_on(day) <= math.ceil(rate)
    served = [b for b in booked if b is not None]
    # Over the horizon the capacity adds up to the rate: floor(rate * 101) slots in all.
    assert len(served) == min(400, math.floor(rate * 101 + 1e-9))


def test_first_come_first_served_and_nothing_past_the_horizon():
    queue = CounterQueue(1.0, horizon=3)
    assert [queue.book(0) for _ in range(5)] == [0, 1, 2, 3, None]
    assert queue.book(2) is None
    assert queue.peek(0) is None


def test_peek_does_not_book():
    queue = CounterQueue(0.5, horizon=10)
    assert queue.peek(0) == 1  # day 0 offers floor(0.5) - 0 = 0 slots, day 1 offers one
    assert queue.peek(0) == 1
    assert queue.book(0) == 1
    assert queue.peek(0) == 3


def test_closed_days_offer_no_slot_and_the_rate_holds_over_open_days():
    opened = [day % 7 < 5 for day in range(29)]  # five working days a week
    queue = CounterQueue(0.5, horizon=28, opened=opened)
    booked = [queue.book(0) for _ in range(30)]
    assert all(opened[d] for d in booked if d is not None)
    assert len([b for b in booked if b is not None]) == math.floor(0.5 * sum(opened) + 1e-9)


def test_the_scenario_calendar_closes_counters_at_weekends_and_on_holidays():
    surge = scenario.load(scenario.builtin("japan-2020-payment-surge"))
    opened = open_days(surge, 14)
    # 1 May 2020 was a Friday; 2-6 May a weekend and Golden Week; 7 May a Thursday.
    assert opened[:8] == [True, False, False, False, False, False, True, True]
    assert date_of(surge, 6).isoformat() == "2020-05-07"


def test_a_negative_capacity_is_refused():
    with pytest.raises(ValueError, match="negative"):
        CounterQueue(-1, 10)


def test_agenda_runs_by_day_then_booking_order():
    agenda = Agenda()
    for day, name in [(3, "c"), (1, "a"), (3, "d"), (1, "b"), (0, "first")]:
        agenda.add(day, name)
    assert [agenda.pop() for _ in range(len(agenda))] == [
        (0, "first"),
        (1, "a"),
        (1, "b"),
        (3, "c"),
        (3, "d"),
    ]
