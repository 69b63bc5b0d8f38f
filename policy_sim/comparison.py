"""A whole comparison, offline: every scenario over many seeds, the back-test's own scenarios,
and the sensitivity runs; the live run (live/check.py) adds to it."""

from __future__ import annotations

from collections.abc import Callable

from . import backtest
from . import runner
from . import scenario as scenarios
from . import sensitivity
from . import uncertainty
from .report import Comparison
from .scenario import Scenario
from .uncertainty import Study

HISTORY = (backtest.J2019, backtest.J2020, backtest.FINLAND)
Echo = Callable[[str], None]


def study(scenario: Scenario, sample: int, seeds: list[int], pool=None) -> Study:
    return Study(scenario, sample, uncertainty.many(scenario, sample, seeds, pool))


def compare(
    loaded: list[Scenario],
    sample: int,
    seeds: list[int],
    sensitivity_runs: tuple[int, int] | None,
    echo: Echo = lambda _text: None,
    workers: int = 0,
) -> Comparison:
    """Run every scenario on every seed; `sensitivity_runs` is (sample, seeds) or None."""
    pool = uncertainty.workers_pool(workers)
    try:
        return _compare(loaded, sample, seeds, sensitivity_runs, echo, pool)
    finally:
        if pool is not None:
            pool.shutdown()


def _compare(loaded, sample, seeds, sensitivity_runs, echo, pool) -> Comparison:
    studies = []
    for s in loaded:
        echo(f"{s.name}: {len(seeds)} seeds of {sample:,} citizens")
        studies.append(study(s, sample, seeds, pool))
    history = {s.scenario.name: s for s in studies if not s.scenario.overrides}
    for name in HISTORY:
        if name not in history:
            echo(f"back-test: {name} (shipped), {len(seeds)} seeds of {sample:,} citizens")
            history[name] = study(scenarios.load(scenarios.builtin(name)), sample, seeds, pool)
    found = Comparison(studies, [runner.run(s, sample, seeds[0]) for s in loaded], history)
    if sensitivity_runs:
        size, count = sensitivity_runs
        for s in loaded:
            echo(
                f"{s.name}: sensitivity, {len(sensitivity.moving(s))} parameters x 2 ends x "
                f"{count} seeds of {size:,} citizens"
            )
            found.swings[s.name] = sensitivity.swings(s, size, seeds[:count], pool)
    return found
