"""One-at-a-time sensitivity: each assumed or fitted number set to the low and the high end of
its range, every other parameter as in the file, on the same seeds (common random numbers, so
the difference is the parameter's, not sampling noise). The tornado chart ranks them."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

from .scenario import Scenario
from .uncertainty import Study
from .uncertainty import run_all

# Parameters that change no citizen's path, only the figures derived after the run.
AFTER_THE_RUN = (
    "costs.",
    "capacity.cores_per_server",
    "capacity.target_utilisation",
    "capacity.visit_hours",
)
HEADLINES = {
    "online_share": "completed online (share of those in need)",
    "peak_logins": "expected busiest-hour logins a second",
    "peak_week_load": "counters' busiest week (visits over capacity)",
}


@dataclass(frozen=True)
class Swing:
    parameter: str
    low: float
    high: float
    at_low: dict[str, float]  # headline → median with the parameter at the low end
    at_high: dict[str, float]


def headlines(study: Study) -> dict[str, float]:
    return {
        "online_share": study.estimate("online_share").median,
        "peak_logins": study.peak()[0].median,
        "peak_week_load": study.estimate("peak_week_load").median,
    }


def moving(scenario: Scenario) -> list[str]:
    """The ranged parameters that can change a run."""
    return [n for n in scenario.ranges if not n.startswith(AFTER_THE_RUN)]


def swings(
    scenario: Scenario, sample: int, seeds: list[int], pool: Executor | None = None
) -> list[Swing]:
    """Low and high runs of every parameter that can move the headlines."""
    names = moving(scenario)
    variants = [scenario.replaced({n: scenario.ranges[n][end]}) for n in names for end in (0, 1)]
    found = run_all([(v, sample, seed) for v in variants for seed in seeds], pool)
    k = len(seeds)
    studies = [Study(v, sample, found[i * k : (i + 1) * k]) for i, v in enumerate(variants)]
    return [
        Swing(n, *scenario.ranges[n], headlines(studies[2 * i]), headlines(studies[2 * i + 1]))
        for i, n in enumerate(names)
    ]


def ranked(found: list[Swing], base: dict[str, float], headline: str, top: int = 8) -> list[Swing]:
    """The parameters that move one headline most, largest swing first."""

    def size(s: Swing) -> float:
        return max(
            abs(s.at_low[headline] - base[headline]), abs(s.at_high[headline] - base[headline])
        )

    return sorted(found, key=size, reverse=True)[:top]
