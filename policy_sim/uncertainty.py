"""Many runs of one scenario, one seed each, summarised as medians with 95 % intervals.

The interval of a figure is the 2.5th to 97.5th percentile of its values over the seeds: the
range the simulation's own sampling noise leaves at this sample size. It does not include the
uncertainty of the assumptions, which sensitivity.py shows assumption by assumption.

The peak estimator: the expected busiest hour is on the day whose expected logins are highest.
For each seed that day is chosen from the other seeds' mean (leave one out), and the seed's
own logins on it are then an unbiased estimate of that day's expectation; the busiest hour
holds `peak_hour_share` of them. Taking each run's own busiest day instead would pick its
noise, and overstate the peak.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import Executor
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from . import runner
from .costs import add_costs
from .metrics import Metrics
from .metrics import measure
from .scenario import Scenario

SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class Estimate:
    median: float
    low: float
    high: float
    n: int


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile by linear interpolation between closest ranks (q in [0, 1])."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def quantile(values: list[float], q: float) -> float:
    """The q-quantile of a non-empty list (NaN for an empty one)."""
    found = percentile(values, q)
    return math.nan if found is None else found


def estimate(values: list[float]) -> Estimate:
    if not values:
        return Estimate(math.nan, math.nan, math.nan, 0)
    return Estimate(
        quantile(values, 0.5), quantile(values, 0.025), quantile(values, 0.975), len(values)
    )


def run_metrics(scenario: Scenario, sample: int, seed: int) -> Metrics:
    """One offline run's figures (a worker process's task)."""
    run = runner.run(scenario, sample, seed)
    found = measure(run)
    add_costs(scenario, found.scalars, run.horizon)
    return found


def many(
    scenario: Scenario, sample: int, seeds: list[int], pool: Executor | None = None
) -> list[Metrics]:
    """The figures of one offline run per seed, in seed order, on `pool` if given."""
    return run_all([(scenario, sample, seed) for seed in seeds], pool)


def run_all(tasks: list[tuple[Scenario, int, int]], pool: Executor | None) -> list[Metrics]:
    """Offline runs (scenario, sample, seed), in order, on the pool's processes if given."""
    if pool is None or len(tasks) == 1:
        return [run_metrics(*task) for task in tasks]
    return list(pool.map(run_metrics, *zip(*tasks, strict=True), chunksize=2))


def workers_pool(workers: int = 0) -> Executor | None:
    """A process pool over the machine's cores (None for one core: run in this process)."""
    workers = workers or os.cpu_count() or 1
    return ProcessPoolExecutor(workers) if workers > 1 else None


@dataclass
class Study:
    """One scenario over many seeds."""

    scenario: Scenario
    sample: int
    metrics: list[Metrics]

    @property
    def seeds(self) -> list[int]:
        return [m.seed for m in self.metrics]

    def estimate(self, name: str) -> Estimate:
        return estimate([m.scalars[name] for m in self.metrics if name in m.scalars])

    def curve(self, name: str, q: float = 0.5) -> list[float]:
        days = len(self.metrics[0].curves[name])
        return [quantile([m.curves[name][d] for m in self.metrics], q) for d in range(days)]

    def group(self, kind: str, name: str) -> Estimate:
        return estimate([m.groups[kind][name] for m in self.metrics if name in m.groups[kind]])

    def reason(self, name: str) -> Estimate:
        return estimate([m.reasons.get(name, 0.0) for m in self.metrics])

    def peak(self) -> tuple[Estimate, int]:
        """Expected busiest-hour logins a second, and the busiest expected day."""
        curves = [m.curves["logins"] for m in self.metrics]
        days, n = len(curves[0]), len(curves)
        totals = [sum(c[d] for c in curves) for d in range(days)]
        values = []
        for curve in curves:
            others = [(totals[d] - curve[d]) / (n - 1) if n > 1 else curve[d] for d in range(days)]
            day = max(range(days), key=others.__getitem__)
            values.append(curve[day] * self.scenario.demand.peak_hour_share / SECONDS_PER_HOUR)
        return estimate(values), max(range(days), key=totals.__getitem__)

    def provisioned_per_second(self) -> float:
        return self.scenario.capacity.provisioned_logins_per_month / (30 * 86_400)


def servers(peak: Estimate, cpu: Estimate, scenario: Scenario) -> Estimate:
    """Broker nodes for the peak at the target utilisation: the interval's ends from the ends
    of the peak's and the CPU's intervals, so that a noisy measurement cannot flip the plan."""
    per_node = scenario.capacity.cores_per_server * scenario.capacity.target_utilisation

    def nodes(rate: float, seconds: float) -> float:
        return float(max(1, math.ceil(rate * seconds / per_node)))

    return Estimate(
        nodes(peak.median, cpu.median),
        nodes(peak.low, cpu.low),
        nodes(peak.high, cpu.high),
        min(peak.n, cpu.n),
    )
