"""A run's figures and costs checked by hand on a tiny sample, and the estimators over seeds."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from policy_sim import costs
from policy_sim import metrics
from policy_sim import outcome as o
from policy_sim import runner
from policy_sim import scenario
from policy_sim import uncertainty
from policy_sim.clock import CounterQueue
from policy_sim.metrics import Metrics
from tests.policy_sim.support import citizen


def tiny_scenario() -> scenario.Scenario:
    s = scenario.load(scenario.builtin("silta-hybrid"))
    return s.replaced({
        "population.residents": 1_000, "demand.share": 0.5, "demand.window_days": 10,
        "demand.peak_hour_share": 0.36, "capacity.provisioned_logins_per_month": 3_000,
    })  # fmt: skip


def tiny_run() -> runner.ScenarioRun:
    s = tiny_scenario()
    outs = [
        o.Outcome(s.name, citizen(index=i, arrival_day=a)) for i, a in enumerate([0, 0, 1, 2, 3])
    ]
    outs[0].complete(0, "bank", "1", "received")  # 0 days
    outs[1].complete(2, "card", "2", "received")  # 2 days, after a counter visit on day 1
    outs[2].complete(5, "card", "3", "decided")  # 4 days
    for out, paid in zip(outs[:3], (5, 7, 10), strict=True):
        out.channel, out.paid_day = o.ONLINE, paid
    outs[3].turn_away(o.NO_BANK_NO_CARD)
    outs[3].channel, outs[3].paid_day = o.PAPER, 20
    outs[4].turn_away(o.GAVE_UP_COUNTER)
    outs[4].channel = o.NONE
    counters = runner.counters_for(s, 5)
    counters.queues = [CounterQueue(1.0, counters.horizon) for _ in counters.queues]
    counters.queues[0].visits.update({1: 1, 5: 1})
    logins = Counter({(0, "bank"): 1, (0, "card"): 1, (2, "card"): 1, (5, "card"): 1})
    return runner.ScenarioRun(s, 5, 1, outs, logins, counters)


def test_a_runs_figures_match_the_hand_calculation():
    run = tiny_run()
    m = metrics.measure(run)
    # 1,000 residents x 0.5 in need = 500; 5 sampled, so each stands for 100.
    assert run.scale == 100
    assert m.scalars["online_share"] == pytest.approx(0.6)
    assert m.scalars["online_applications"] == pytest.approx(300)
    assert m.scalars["paper_applications"] == pytest.approx(100)
    assert m.scalars["paid_share"] == pytest.approx(0.8)  # 4 of 5 paid within the period
    assert m.curves["paid"][9] == pytest.approx(0.4) and m.curves["paid"][10] == pytest.approx(0.6)
    assert m.curves["online"][:6] == [100, 100, 200, 200, 200, 300]
    assert m.scalars["days_waited_p50"] == 2
    assert m.scalars["bank_share"] == pytest.approx(1 / 3)
    # 4 attempts x 100 over a 10-day window -> 1,200 a month against 3,000 provisioned.
    assert m.scalars["load_share"] == pytest.approx(0.4)
    assert m.curves["logins"][0] == 200
    assert m.scalars["counter_visits"] == 200
    assert m.reasons == {o.NO_BANK_NO_CARD: 0.2, o.GAVE_UP_COUNTER: 0.2}
    assert m.groups["bank credentials"] == {"has bank credentials": pytest.approx(0.6)}


def test_waiting_hours_grow_with_the_load_of_the_week():
    run = tiny_run()
    base = run.scenario.capacity.visit_hours
    # Day 1's window is days 0-4 (5 slots, one visit), day 5's days 2-8 (7 slots, one visit).
    expected = 100 * base * (1 / (1 - 1 / 5) + 1 / (1 - 1 / 7))
    assert metrics.waiting_hours(run) == pytest.approx(expected)


def test_costs_set_the_policy_against_all_paper():
    run = tiny_run()
    m = metrics.measure(run)
    c = run.scenario.costs
    costs.add_costs(run.scenario, m.scalars, run.horizon)
    total = (300 * c.online_application + 100 * c.paper_application
             + 200 * c.desk_authorisation + 100 * c.login_fee["bank"]
             + c.operation_per_month * run.horizon / 30)  # fmt: skip
    assert m.scalars["cost_total"] == pytest.approx(total)
    assert m.scalars["incremental_cost_per_online"] == pytest.approx(
        (total - 400 * c.paper_application) / 300)  # fmt: skip
    assert "cost_total" not in metrics.measure(dataclasses.replace(
        run, scenario=dataclasses.replace(run.scenario, costs=None))).scalars  # fmt: skip


def fake(seed: int, logins: list[float]) -> Metrics:
    return Metrics("x", seed, {"online_share": seed / 100}, {"logins": logins})


def test_the_peak_is_read_on_the_day_the_other_seeds_find_busiest():
    s = tiny_scenario()
    # Day 1 is busiest on average; seed 5's own noise makes day 2 its busiest.
    runs = [fake(seed, [0, 100, 50]) for seed in range(1, 5)] + [fake(5, [0, 90, 200])]
    peak, day = uncertainty.Study(s, 5, runs).peak()
    share = s.demand.peak_hour_share / 3600
    assert day == 1
    # Leave-one-out: seed 5 is read on day 1 (the others' busiest), not on its own day 2,
    # which would have put its peak at 200.
    assert peak.median == pytest.approx(100 * share)
    assert peak.low == pytest.approx(91 * share) and peak.high == pytest.approx(100 * share)


def test_estimates_are_medians_with_95_percent_intervals():
    e = uncertainty.estimate([float(v) for v in range(1, 41)])
    assert (e.median, e.n) == (20.5, 40)
    assert e.low == pytest.approx(1 + 0.025 * 39) and e.high == pytest.approx(1 + 0.975 * 39)
    assert uncertainty.percentile([], 0.5) is None


def test_servers_take_the_ends_of_both_intervals():
    s = tiny_scenario()
    peak = uncertainty.Estimate(10.0, 5.0, 20.0, 20)
    cpu = uncertainty.Estimate(0.5, 0.4, 1.0, 30)
    per_node = s.capacity.cores_per_server * s.capacity.target_utilisation
    found = uncertainty.servers(peak, cpu, s)
    assert found.median == max(1, -(-10 * 0.5 // per_node))
    assert found.high == max(1, -(-20 * 1.0 // per_node))
    assert found.low <= found.median <= found.high
