"""Simulated days: counters never exceed their capacity, first come first served."""

from __future__ import annotations

import math

import pytest

from policy_sim.clock import Agenda
from policy_sim.clock import CounterQueue


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
