"""What the live subset adds to a comparison: server cost from repeated measurements, and the
check that the live federation and the offline model treated every citizen alike."""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from html import escape

from .. import report_tables as t
from ..outcome import Measurement
from ..outcome import Outcome
from ..runner import ScenarioRun
from ..uncertainty import Estimate
from ..uncertainty import Study
from ..uncertainty import estimate
from ..uncertainty import servers

COMPARED = (
    "status",
    "reason",
    "method",
    "completed_day",
    "attempts",
    "wrong_pins",
    "counter_days",
    "channel",
    "paid_day",
)
RESAMPLES = 400


def signature(out: Outcome) -> dict:
    """What must be the same live and offline: every decision and its day, not the ids."""
    found = {name: getattr(out, name) for name in COMPARED}
    found["lockouts"] = len(out.lockouts)
    return found


def differences(live: ScenarioRun, offline: ScenarioRun) -> list[tuple[int, str, object, object]]:
    """(citizen, field, live value, offline value) for every disagreement."""
    found = []
    for a, b in zip(live.outcomes, offline.outcomes, strict=True):
        sa, sb = signature(a), signature(b)
        found += [(a.citizen.index, k, sa[k], sb[k]) for k in sa if sa[k] != sb[k]]
    return found


def cpu_per_login(measurements: list[Measurement], method: str | None = None) -> Estimate:
    """Server CPU seconds per login: the mean over the measured logins, its 95 % interval by
    bootstrap (the CPU clock ticks in hundredths of a second, so single logins are coarse)."""
    values = [
        m.server_cpu
        for m in measurements
        if m.step == "login" and m.method in ((method,) if method else ("bank", "card"))
    ]
    if not values:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    rng = random.Random(0)  # noqa: S311 - resampling, not secrets
    means = [statistics.fmean(rng.choices(values, k=len(values))) for _ in range(RESAMPLES)]
    middle = estimate(means)
    return Estimate(statistics.fmean(values), middle.low, middle.high, len(values))


def latency(measurements: list[Measurement], method: str) -> Estimate:
    """Wall time a citizen waited for one login: the mean, and the 95th percentile as `high`."""
    values = [m.wall_seconds for m in measurements if m.step == "login" and m.method == method]
    if not values:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    spread = estimate(values)
    return Estimate(statistics.fmean(values), min(values), spread.high, len(values))


@dataclass
class LiveCheck:
    study: Study  # the offline study of the full scenario
    live: ScenarioRun
    offline: ScenarioRun  # the offline model of the same live variant, same citizens

    @property
    def differences(self) -> list:
        return differences(self.live, self.offline)

    def cpu(self, method: str | None = None) -> Estimate:
        return cpu_per_login(self.live.measurements, method)

    def servers(self) -> Estimate:
        return servers(self.study.peak()[0], self.cpu(), self.study.scenario)


def section(checks: list[LiveCheck]) -> str:
    """The report's live section: equality, measured cost per method, broker nodes."""
    rows = []
    for c in checks:
        diffs = c.differences
        same = c.live.sample - len({d[0] for d in diffs})
        note = "" if c.live.scenario == c.study.scenario else " (the demo card's PIN, 3 tries)"
        rows.append(
            [
                escape(c.study.scenario.name + note),
                f"{same} of {c.live.sample}",
                escape(
                    "; ".join(
                        f"citizen {i}: {k} live {a!r}, offline {b!r}" for i, k, a, b in diffs[:5]
                    )
                    or "none"
                ),
                t.interval(c.cpu("bank"), 1000, 1, " ms"),
                t.interval(c.cpu("card"), 1000, 1, " ms"),
                f"{t.num(latency(c.live.measurements, 'bank').median * 1000, 0)} / "
                f"{t.num(latency(c.live.measurements, 'card').median * 1000, 0)} ms",
                t.interval(c.servers(), 1, 0),
            ]
        )
    head = [
        "Scenario",
        "Same outcome live and offline",
        "Differences",
        "Server CPU per bank login",
        "Server CPU per card login",
        "Mean latency per bank / card login",
        "Broker nodes at the peak",
    ]
    return (
        '<section aria-labelledby="live"><h2 id="live">Live check and server cost</h2>'
        "<p>The first citizens of the first seed were sent through the running federation "
        "and, separately, through the offline model. Server CPU is the mean over the "
        "measured logins (95 % bootstrap interval); broker nodes take the ends of the "
        "peak's and the CPU's intervals at the target utilisation.</p>"
        f"{t.table('Live subset', head, rows, {3, 4, 5, 6})}</section>"
    )
