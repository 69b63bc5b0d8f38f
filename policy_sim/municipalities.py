"""Municipalities as counter queues: each has its own counters, its own day for opening online
applications and its own day for mailing paper forms.

Municipal populations follow a log-normal size distribution (deterministic quantiles, `size_sigma`
its spread); each municipality's counter capacity is the national capacity shared in proportion
to size^`counter_size_exponent` (1: capacity in proportion to population; below 1, large cities
have fewer counters per resident). Start days are given as shares of municipalities and assigned
by a low-discrepancy sequence, independently of size. Municipalities alike in size class, start
day and mail day are pooled into one queue: they have the same capacity per resident, so pooling
changes nothing but the lumpiness of a small sample (with capacity in proportion to population,
size classes do not differ and are pooled too).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist

from .scenario import Scenario

SIZE_CLASSES = 3
GOLDEN, SILVER = (math.sqrt(5) - 1) / 2, math.sqrt(2) - 1


@dataclass(frozen=True)
class Group:
    size_class: int  # 0 smallest third of municipalities .. 2 largest third
    online_start: int | None  # day online applications open (None: never)
    paper_mail: int | None  # day paper forms are mailed (None: never)
    municipalities: int
    population_share: float
    capacity_share: float


def _pick(u: float, shares: dict[int | None, float]) -> int | None:
    total = 0.0
    for day, part in shares.items():
        total += part
        if u < total:
            return day
    return next(reversed(shares))


@cache
def _groups(count: int, sigma: float, exponent: float, online: tuple, mail: tuple) -> tuple:
    normal = NormalDist()
    sizes = [math.exp(sigma * normal.inv_cdf((i + 0.5) / count)) for i in range(count)]
    weights = [s**exponent for s in sizes]
    total_size, total_weight = sum(sizes), sum(weights)
    pooled: dict[tuple, list[float]] = {}
    classes = 1 if exponent == 1 else SIZE_CLASSES
    for i, size in enumerate(sizes):
        key = (
            min(classes - 1, i * classes // count),
            _pick(((i + 0.5) * GOLDEN) % 1.0, dict(online)),
            _pick(((i + 0.5) * SILVER) % 1.0, dict(mail)),
        )
        row = pooled.setdefault(key, [0, 0.0, 0.0])
        row[0] += 1
        row[1] += size / total_size
        row[2] += weights[i] / total_weight
    return tuple(
        Group(key[0], key[1], key[2], int(n), p, k)
        for key, (n, p, k) in sorted(
            pooled.items(), key=lambda kv: tuple(-1 if v is None else v for v in kv[0])
        )
    )


def groups(scenario: Scenario) -> tuple[Group, ...]:
    """The scenario's municipalities pooled into queues."""
    m = scenario.municipalities
    return _groups(
        m.count,
        m.size_sigma,
        scenario.capacity.counter_size_exponent,
        tuple(m.online_start.items()),
        tuple(m.paper_mail.items()),
    )


def group_of(u: float, found: tuple[Group, ...]) -> int:
    """The queue a resident belongs to, drawn by population share."""
    total = 0.0
    for index, group in enumerate(found):
        total += group.population_share
        if u < total:
            return index
    return len(found) - 1
