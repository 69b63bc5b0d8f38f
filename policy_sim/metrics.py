"""What one run means for the nation: the figures a decision maker asks for, from one seed.

Every sampled citizen stands for `scale` residents (or households). Counts are multiplied by
it; shares are of the sample. Curves are per simulated day. Nothing here averages over seeds:
uncertainty.py does, so every figure gets its interval from the spread of runs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import field

from . import municipalities
from . import outcome as o
from .runner import ScenarioRun

DAYS_PER_MONTH = 30
LOAD_CAP = 0.95  # waiting time grows as 1/(1-load); a full counter still moves
LOAD_WINDOW = 7  # days over which a counter's load is judged (a small sample books in lumps)


@dataclass
class Metrics:
    """One run's figures: scalars by name, curves by name (a value per day)."""

    scenario: str
    seed: int
    scalars: dict[str, float] = field(default_factory=dict)
    curves: dict[str, list[float]] = field(default_factory=dict)
    groups: dict[str, dict[str, float]] = field(default_factory=dict)  # online share by group
    reasons: dict[str, float] = field(default_factory=dict)  # share of the sample by reason


def _cumulative(per_day: Counter, horizon: int, scale: float) -> list[float]:
    total, curve = 0.0, []
    for day in range(horizon + 1):
        total += per_day.get(day, 0) * scale
        curve.append(total)
    return curve


def waiting_hours(run: ScenarioRun) -> float:
    """National hours citizens spend at counters: a visit's `visit_hours` over (1 - load)."""
    base, hours = run.scenario.capacity.visit_hours, 0.0
    for queue in run.counters.queues:
        for day, visits in queue.visits.items():
            days = range(max(0, day - LOAD_WINDOW // 2), day + LOAD_WINDOW // 2 + 1)
            capacity = sum(queue.capacity_on(d) for d in days)
            load = min(LOAD_CAP, sum(queue.visits.get(d, 0) for d in days) / capacity)
            hours += visits * base / (1 - load)
    return hours * run.scale


def online_share_by(outcomes: list[o.Outcome], key) -> dict[str, float]:
    totals: Counter[str] = Counter(key(out) for out in outcomes)
    done: Counter[str] = Counter(key(out) for out in outcomes if out.status == o.COMPLETED)
    return {name: done[name] / n for name, n in sorted(totals.items())}


def measure(run: ScenarioRun) -> Metrics:
    s, scale, horizon, outs = run.scenario, run.scale, run.horizon, run.outcomes
    m = Metrics(s.name, run.seed)
    completed = [out for out in outs if out.status == o.COMPLETED]
    logins: Counter[int] = Counter()
    for (day, _method), n in run.logins.items():
        logins[day] += n
    visits = run.counters.visits()
    capacity = [sum(q.capacity_on(d) for q in run.counters.queues) for d in range(horizon + 1)]
    m.curves = {
        "online": _cumulative(Counter(out.completed_day for out in completed), horizon, scale),
        "paid": _cumulative(
            Counter(out.paid_day for out in outs if out.paid_day is not None),
            horizon,
            1 / run.sample,
        ),
        "visits": [visits.get(d, 0) * scale for d in range(horizon + 1)],
        "capacity": [c * scale for c in capacity],
        "logins": [logins.get(d, 0) * scale for d in range(horizon + 1)],
        "full": full_counters(run),
    }
    waits = sorted(d for out in completed if (d := out.days_to_service) is not None)
    month = sum(logins.values()) * scale * DAYS_PER_MONTH / s.demand.window_days
    bank = sum(out.method == "bank" for out in completed)
    channel = Counter(out.channel for out in outs)
    m.scalars = {
        "online_share": len(completed) / run.sample,
        "online_applications": len(completed) * scale,
        "paper_applications": channel[o.PAPER] * scale,
        "paid_share": m.curves["paid"][-1],
        "load_share": month / s.capacity.provisioned_logins_per_month,
        "counter_visits": sum(visits.values()) * scale,
        "waiting_hours": waiting_hours(run),
        "days_waited_p50": waits[len(waits) // 2] if waits else 0.0,
        "bank_share": bank / len(completed) if completed else 0.0,
        "logins": sum(logins.values()) * scale,
        **{f"logins_{method}": n * scale for method, n in _by_method(run).items()},
    }
    m.scalars["peak_week_load"] = peak_week_load(m.curves["visits"], m.curves["capacity"])
    m.groups = {
        "age band": online_share_by(outs, lambda out: out.citizen.age_band),
        "device": online_share_by(outs, lambda out: out.citizen.device),
        "bank credentials": online_share_by(
            outs, lambda out: "has bank credentials" if out.citizen.bank else "no bank credentials"
        ),
    }
    m.reasons = {
        r: n / run.sample for r, n in Counter(out.reason for out in outs if out.reason).items()
    }
    return m


def _by_method(run: ScenarioRun) -> dict[str, int]:
    found: Counter[str] = Counter()
    for (_day, method), n in run.logins.items():
        found[method] += n
    return dict(found)


def peak_week_load(visits: list[float], capacity: list[float]) -> float:
    """Visits over capacity in the busiest seven days (1: every slot taken)."""
    best = 0.0
    for start in range(max(1, len(visits) - 6)):
        cap = sum(capacity[start : start + 7])
        if cap:
            best = max(best, sum(visits[start : start + 7]) / cap)
    return best


def full_counters(run: ScenarioRun) -> list[float]:
    """Per day, the share of residents whose municipality's counters were fully booked."""
    shares = [g.population_share for g in municipalities.groups(run.scenario)]
    curve = []
    for day in range(run.horizon + 1):
        curve.append(
            sum(
                share
                for share, q in zip(shares, run.counters.queues, strict=True)
                if q.capacity_on(day) and q.visits.get(day, 0) >= q.capacity_on(day)
            )
        )
    return curve
