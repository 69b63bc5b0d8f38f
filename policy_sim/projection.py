"""From the measured sample to the nation: shares, waits, counter load, peak logins, servers, cost.

Every sampled citizen stands for `scale` = residents in need / sample residents. Counts per
simulated day are multiplied by the scale; the peak second assumes the busiest hour holds
`peak_hour_share` of its day's logins, spread evenly over that hour.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass

from . import outcome as o
from .runner import ScenarioRun
from .runner import in_need

SECONDS_PER_HOUR = 3600
DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class MethodCost:
    method: str
    attempts: int
    succeeded: int
    wall_mean: float
    wall_p95: float
    cpu_mean: float  # server CPU seconds per login attempt, all measured servers together
    requests_mean: float


@dataclass(frozen=True)
class Projection:
    scenario: str
    sample: int
    residents_in_need: float
    scale: float
    status_counts: dict[str, int]
    reason_counts: dict[str, int]
    completed_share: float
    completed_residents: float
    days_to_service: list[int]
    days_p50: float | None
    days_p90: float | None
    counter_visits: dict[int, float]  # national visits per simulated day
    counter_capacity: float  # national slots per day
    logins_per_day: dict[int, float]  # national login attempts per simulated day
    peak_logins_per_second: float
    provisioned_logins_per_second: float
    load_share_of_provisioned: float
    cpu_per_login: float
    cores_at_peak: float
    servers_needed: int
    cost_per_completion: float | None
    currency: str
    methods: list[MethodCost]


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile by linear interpolation between closest ranks (q in [0, 1])."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def method_costs(run: ScenarioRun) -> list[MethodCost]:
    rows = []
    for method in sorted({m.method for m in run.measurements if m.step == "login"}):
        logins = [m for m in run.measurements if m.step == "login" and m.method == method]
        walls = [m.wall_seconds for m in logins]
        rows.append(
            MethodCost(
                method,
                len(logins),
                sum(m.ok for m in logins),
                statistics.fmean(walls),
                percentile(walls, 0.95) or 0.0,
                statistics.fmean(m.server_cpu for m in logins),
                statistics.fmean(m.requests for m in logins),
            )
        )
    return rows


def project(run: ScenarioRun) -> Projection:
    scenario = run.scenario
    need = in_need(scenario)
    scale = need / run.sample
    statuses = Counter(out.status for out in run.outcomes)
    reasons = Counter(out.reason for out in run.outcomes if out.reason)
    days = [out.days_to_service for out in run.outcomes if out.status == o.COMPLETED]
    visits = Counter(day for out in run.outcomes for day in out.counter_days)
    logins = [m for m in run.measurements if m.step == "login"]
    per_day = Counter(m.day for m in logins)
    busiest = max(per_day.values(), default=0) * scale
    peak = busiest * scenario.demand.peak_hour_share / SECONDS_PER_HOUR
    cpu = statistics.fmean(m.server_cpu for m in logins) if logins else 0.0
    cores = peak * cpu  # CPU seconds needed per second at the peak = busy cores
    provisioned = scenario.capacity.provisioned_logins_per_month
    monthly = len(logins) * scale * DAYS_PER_MONTH / scenario.demand.window_days
    completed = statuses[o.COMPLETED] * scale
    budget = scenario.budget
    return Projection(
        scenario=scenario.name,
        sample=run.sample,
        residents_in_need=need,
        scale=scale,
        status_counts=dict(statuses),
        reason_counts=dict(reasons),
        completed_share=statuses[o.COMPLETED] / run.sample,
        completed_residents=completed,
        days_to_service=sorted(days),
        days_p50=percentile(days, 0.5),
        days_p90=percentile(days, 0.9),
        counter_visits={day: n * scale for day, n in sorted(visits.items())},
        counter_capacity=scenario.capacity.counter_slots_per_day,
        logins_per_day={day: n * scale for day, n in sorted(per_day.items())},
        peak_logins_per_second=peak,
        provisioned_logins_per_second=provisioned / (DAYS_PER_MONTH * 86400),
        load_share_of_provisioned=monthly / provisioned,
        cpu_per_login=cpu,
        cores_at_peak=cores,
        servers_needed=math.ceil(cores / scenario.capacity.cores_per_server) if logins else 0,
        cost_per_completion=budget.amount / completed if budget and completed else None,
        currency=budget.currency if budget else "",
        methods=method_costs(run),
    )
