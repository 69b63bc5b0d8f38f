"""Projection arithmetic on a tiny sample checked by hand."""

from __future__ import annotations

import dataclasses

import pytest

from policy_sim import outcome as o
from policy_sim import population
from policy_sim import projection
from policy_sim import scenario
from policy_sim.clock import CounterQueue
from policy_sim.runner import ScenarioRun


def tiny_scenario() -> scenario.Scenario:
    s = scenario.load(scenario.builtin("silta-hybrid"))
    return dataclasses.replace(
        s,
        population=dataclasses.replace(s.population, residents=1_000),
        demand=dataclasses.replace(s.demand, share=0.5, window_days=10, peak_hour_share=0.36),
        capacity=dataclasses.replace(
            s.capacity,
            counter_slots_per_day=40,
            provisioned_logins_per_month=3_000,
            cores_per_server=2,
        ),
        budget=dataclasses.replace(s.budget, amount=60_000.0),
    )


def person(index: int, arrival: int) -> population.Citizen:
    return population.Citizen(index, "kide", True, "iphone", True, 0.9, 3, 10.0, arrival)


def measured(citizen: int, day: int, method: str, ok: bool, cpu: float, wall: float):
    return o.Measurement(
        "silta-hybrid", citizen, day, method, "login", ok, wall, {"broker": cpu}, 10
    )


def tiny_run() -> ScenarioRun:
    s = tiny_scenario()
    outs = [o.Outcome(s.name, person(i, arrival)) for i, arrival in enumerate([0, 0, 1, 2, 3])]
    outs[0].complete(0, "bank", "1", "received")  # 0 days
    outs[1].complete(2, "card", "2", "received")  # 2 days, after a counter visit on day 1
    outs[1].counter_days, outs[1].lockouts = [1], ["card-9"]
    outs[2].complete(5, "card", "3", "decided")  # 4 days, counter on day 5
    outs[2].counter_days = [5]
    outs[3].turn_away(o.NO_BANK_NO_CARD)
    outs[4].turn_away(o.GAVE_UP_COUNTER)
    logins = [
        measured(0, 0, "bank", True, 0.010, 0.2),
        measured(1, 0, "card", False, 0.020, 0.4),
        measured(1, 2, "card", True, 0.030, 0.6),
        measured(2, 5, "card", True, 0.020, 0.8),
    ]
    return ScenarioRun(s, 5, 1, outs, logins, CounterQueue(0.4, 30))


def test_projection_matches_the_hand_calculation():
    p = projection.project(tiny_run())
    # 1,000 residents x 0.5 in need = 500; 5 sampled, so each stands for 100.
    assert p.residents_in_need == 500 and p.scale == 100
    assert p.completed_share == pytest.approx(0.6)
    assert p.completed_residents == pytest.approx(300)
    assert p.days_to_service == [0, 2, 4]
    assert p.days_p50 == 2 and p.days_p90 == pytest.approx(3.6)  # 2 + 0.8 x (4 - 2)
    assert p.reason_counts == {o.NO_BANK_NO_CARD: 1, o.GAVE_UP_COUNTER: 1}
    assert p.counter_visits == {1: 100, 5: 100}
    assert p.counter_capacity == 40
    # Busiest day: day 0 with 2 login attempts -> 200 nationally; 36% in the peak hour.
    assert p.logins_per_day == {0: 200, 2: 100, 5: 100}
    assert p.peak_logins_per_second == pytest.approx(200 * 0.36 / 3600)  # 0.02
    # Mean server CPU per attempt: (10 + 20 + 30 + 20) ms / 4 = 20 ms.
    assert p.cpu_per_login == pytest.approx(0.020)
    assert p.cores_at_peak == pytest.approx(0.02 * 0.020)
    assert p.servers_needed == 1
    # 4 attempts x 100 over a 10-day window -> 1,200 a month against 3,000 provisioned.
    assert p.load_share_of_provisioned == pytest.approx(0.4)
    assert p.provisioned_logins_per_second == pytest.approx(3_000 / (30 * 86_400))
    # 60,000 spent over 300 completed applications.
    assert p.cost_per_completion == pytest.approx(200)
    bank, card = p.methods
    assert (bank.method, bank.attempts, bank.succeeded) == ("bank", 1, 1)
    assert (card.method, card.attempts, card.succeeded) == ("card", 3, 2)
    assert card.cpu_mean == pytest.approx(0.070 / 3)
    assert card.wall_mean == pytest.approx(0.6)
    assert card.wall_p95 == pytest.approx(0.78)  # 0.6 + 0.9 x (0.8 - 0.6)


def test_servers_round_up_per_node():
    run = tiny_run()
    heavy = [dataclasses.replace(m, cpu_seconds={"broker": 500.0}) for m in run.measurements]
    p = projection.project(dataclasses.replace(run, measurements=heavy))
    # 0.02 logins/s x 500 s = 10 busy cores; 2 cores a node -> 5 nodes.
    assert p.cores_at_peak == pytest.approx(10)
    assert p.servers_needed == 5


def test_no_budget_no_cost_and_no_completions_no_percentiles():
    run = tiny_run()
    s = dataclasses.replace(run.scenario, budget=None)
    for out in run.outcomes:
        if out.status == o.COMPLETED:
            out.status, out.completed_day = o.TURNED_AWAY, None
    p = projection.project(dataclasses.replace(run, scenario=s))
    assert p.cost_per_completion is None and p.currency == ""
    assert p.days_p50 is None and p.completed_share == 0


def test_percentile():
    assert projection.percentile([], 0.5) is None
    assert projection.percentile([5], 0.9) == 5
    assert projection.percentile([1, 2, 3, 4], 0.5) == 2.5
