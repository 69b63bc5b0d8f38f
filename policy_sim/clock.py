"""Simulated days on the scenario's calendar: an ordered agenda of citizens' next steps, and
municipal counters of limited capacity that open on working days only."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from .municipalities import Group
from .scenario import WEEKDAYS
from .scenario import Scenario


def date_of(scenario: Scenario, day: int) -> dt.date:
    """The calendar date of a simulated day (day 0 is the scenario's start)."""
    return scenario.calendar.start + dt.timedelta(days=day)


def open_days(scenario: Scenario, horizon: int) -> list[bool]:
    """Whether counters open on each day up to the horizon: not on closed weekdays or holidays."""
    calendar = scenario.calendar
    closed = {WEEKDAYS.index(w) for w in calendar.closed_weekdays}
    holidays = set(calendar.counter_holidays)
    return [
        date_of(scenario, d).weekday() not in closed and date_of(scenario, d) not in holidays
        for d in range(horizon + 1)
    ]


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
    """First come, first served visits to counters that serve `rate` visits an open day.

    The rate is the capacity scaled down to the sample, so it is usually fractional: the n-th
    open day offers floor(rate·n) − floor(rate·(n−1)) slots, which adds up to the rate over
    time; closed days offer none. A booking takes the first day on or after the requested one
    with a slot left, and none after `horizon`.
    """

    def __init__(self, rate: float, horizon: int, opened: list[bool] | None = None) -> None:
        if rate < 0:
            raise ValueError("capacity cannot be negative")
        self.rate, self.horizon = rate, horizon
        self.opened = opened if opened is not None else [True] * (horizon + 1)
        self.before = list(itertools.accumulate(self.opened, initial=0))  # open days before d
        self.visits: Counter[int] = Counter()
        self._full_until = 0  # every day before this one is fully booked

    def capacity_on(self, day: int) -> int:
        if not 0 <= day <= self.horizon or not self.opened[day]:
            return 0
        n = self.before[day]
        return math.floor(self.rate * (n + 1) + 1e-9) - math.floor(self.rate * n + 1e-9)

    def peek(self, day: int) -> int | None:
        """The day a booking made now would get, without booking it."""
        for candidate in range(max(0, day, self._full_until), self.horizon + 1):
            if self.visits[candidate] < self.capacity_on(candidate):
                return candidate
            if candidate == self._full_until:
                self._full_until += 1
        return None

    def book(self, day: int) -> int | None:
        """Book the first free slot on or after `day`; None when there is none by the horizon."""
        slot = self.peek(day)
        if slot is not None:
            self.visits[slot] += 1
        return slot


class Counters:
    """One queue per pooled municipality group, each with its share of national capacity."""

    def __init__(self, scenario: Scenario, groups: tuple[Group, ...], scale: float, horizon: int):
        opened = open_days(scenario, horizon)
        national = scenario.capacity.counter_visits_per_day / scale  # in sampled visits a day
        self.horizon = horizon
        self.queues = [CounterQueue(national * g.capacity_share, horizon, opened) for g in groups]
        self.national_rate = national

    def queue(self, group: int) -> CounterQueue:
        return self.queues[group]

    def visits(self) -> Counter[int]:
        """Sampled visits per day, all queues together."""
        total: Counter[int] = Counter()
        for queue in self.queues:
            total.update(queue.visits)
        return total
