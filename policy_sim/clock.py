"""Simulated days: an ordered agenda of citizens' next steps, and counters of limited capacity."""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from typing import Any


@dataclass(order=True)
class _Entry:
    day: int
    order: int
    step: Any = field(compare=False)


class Agenda:
    """Steps to run in simulated-day order; steps on the same day run in the order booked."""

    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._order = itertools.count()

    def add(self, day: int, step: Any) -> None:
        heapq.heappush(self._heap, _Entry(day, next(self._order), step))

    def pop(self) -> tuple[int, Any]:
        entry = heapq.heappop(self._heap)
        return entry.day, entry.step

    def __len__(self) -> int:
        return len(self._heap)


class CounterQueue:
    """First come, first served visits to counters that serve `rate` visits a day in total.

    The rate is the national capacity scaled down to the sample, so it is usually fractional:
    day d offers floor(rate·(d+1)) − floor(rate·d) slots, which never exceeds ceil(rate) and
    adds up to the rate over time. A booking takes the first day on or after the requested one
    with a slot left, and none after `horizon`.
    """

    def __init__(self, rate: float, horizon: int) -> None:
        if rate < 0:
            raise ValueError("capacity cannot be negative")
        self.rate = rate
        self.horizon = horizon
        self.visits: Counter[int] = Counter()

    def capacity_on(self, day: int) -> int:
        return math.floor(self.rate * (day + 1) + 1e-9) - math.floor(self.rate * day + 1e-9)

    def book(self, day: int) -> int | None:
        """Book the first free slot on or after `day`; None when there is none by the horizon."""
        for candidate in range(max(0, day), self.horizon + 1):
            if self.visits[candidate] < self.capacity_on(candidate):
                self.visits[candidate] += 1
                return candidate
        return None

    def peek(self, day: int) -> int | None:
        """The day a booking made now would get, without booking it."""
        for candidate in range(max(0, day), self.horizon + 1):
            if self.visits[candidate] < self.capacity_on(candidate):
                return candidate
        return None
