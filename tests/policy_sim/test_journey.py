"""Journey decisions, with a scripted world standing in for the live system (the live run is in
test_end_to_end.py): who may use which method, retries, lockouts, counters, patience."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from policy_sim import journey
from policy_sim import outcome as o
from policy_sim import population
from policy_sim import scenario
from policy_sim.clock import CounterQueue
from policy_sim.journey import Attempt
from tests.policy_sim.support import ScriptedWorld


def load(name: str) -> scenario.Scenario:
    return scenario.load(scenario.builtin(name))


def citizen(**changes) -> population.Citizen:
    base = population.Citizen(0, "aurora", True, "card_reader_pc", True, 1.0, 3, 30.0, 0)
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    ("name", "changes", "usable", "reason"),
    [
        ("japan-2019", {}, ["card"], ""),
        ("japan-2019", {"device": "iphone"}, [], o.UNSUPPORTED_PHONE),
        (
            "japan-2019",
            {"device": "android_nfc", "android_supported": False},
            [],
            o.UNSUPPORTED_PHONE,
        ),
        ("japan-2019", {"device": "pc"}, [], o.NO_CARD_READER),
        ("japan-2019", {"has_card": False}, [], o.NO_CARD),
        ("japan-2019", {"device": "none"}, [], o.NO_DEVICE),
        ("silta-hybrid", {}, ["bank", "card"], ""),
        ("silta-hybrid", {"device": "iphone"}, ["bank", "card"], ""),
        ("silta-hybrid", {"bank": None, "device": "iphone"}, ["card"], ""),
        ("silta-hybrid", {"bank": None, "has_card": False}, [], o.NO_BANK_NO_CARD),
        ("finland", {"has_card": False, "device": "iphone"}, ["bank"], ""),
    ],
)
def test_usable_methods(name, changes, usable, reason):
    person = citizen(**changes)
    assert journey.usable_methods(person, person.has_card, load(name)) == (usable, reason)


def run(name: str, sample: int = 400, seed: int = 5, world=None):
    s = load(name)
    world = world or ScriptedWorld()
    counters = CounterQueue(0.4, s.demand.window_days * 3)
    outcomes = journey.Journeys(s, world, counters, seed).run(population.generate(s, sample, seed))
    return s, world, counters, outcomes


@pytest.mark.parametrize(
    "name", ["japan-2019", "japan-2020-payment-surge", "finland", "silta-hybrid"]
)
def test_outcomes_are_consistent(name):
    s, world, counters, outcomes = run(name)
    assert all(out.finished for out in outcomes)
    for out in outcomes:
        c = out.citizen
        if out.status == o.COMPLETED:
            assert out.method in s.policy.methods
            assert c.device != "none"
            if out.method == "bank":
                assert c.bank is not None
            else:
                assert c.can_use_card_on_device(s)
                assert c.has_card or ("issue", c.index, out.counter_days[0]) in world.calls
            assert out.completed_day >= c.arrival_day
        else:
            assert out.reason in o.REASON_TEXT
    for day, visits in Counter(d for out in outcomes for d in out.counter_days).items():
        assert visits <= counters.capacity_on(day)
    locks = Counter(serial for out in outcomes for serial in out.lockouts)
    assert all(n == 1 for n in locks.values())


def test_a_locked_card_waits_for_the_counter_then_completes():
    s = load("japan-2019")
    person = dataclasses.replace(
        citizen(bank=None), pin_recall=0.0, patience_tries=3, patience_days=100
    )
    world = ScriptedWorld()
    out = journey.Journeys(s, world, CounterQueue(0.5, 90), 1).run([person])[0]
    assert out.status == o.COMPLETED and out.method == "card"
    assert out.lockouts == ["card-0"] and out.wrong_pins == 3
    assert out.counter_days == [1]  # day 1 is the first with a slot at 0.5 a day
    assert [c[0] for c in world.calls] == ["card", "unblock", "card"]
    assert out.completed_day == 1


def test_an_impatient_citizen_gives_up_on_the_queue():
    s = load("japan-2019")
    person = dataclasses.replace(citizen(), pin_recall=0.0, patience_tries=3, patience_days=2)
    out = journey.Journeys(s, ScriptedWorld(), CounterQueue(0.1, 90), 1).run([person])[0]
    assert out.status == o.TURNED_AWAY and out.reason == o.GAVE_UP_COUNTER
    assert out.counter_days == []


def test_a_locked_card_falls_back_to_the_bank_under_the_hybrid_policy():
    s = load("silta-hybrid")
    s = dataclasses.replace(s, policy=dataclasses.replace(s.policy, methods=("card", "bank")))
    person = dataclasses.replace(citizen(), pin_recall=0.0, patience_tries=3)
    out = journey.Journeys(s, ScriptedWorld(), CounterQueue(0.1, 90), 1).run([person])[0]
    assert out.status == o.COMPLETED and out.method == "bank"
    assert out.lockouts == ["card-0"]


def test_card_citizens_are_not_run_without_a_card_leg():
    _, world, _, outcomes = run("japan-2019", world=ScriptedWorld(card_available=False))
    statuses = Counter(out.status for out in outcomes)
    assert statuses[journey.NOT_RUN] > 0 and statuses[o.COMPLETED] == 0
    assert not [call for call in world.calls if call[0] == "card"]


def test_a_citizen_without_a_demo_card_left_is_not_run():
    class NoCardsLeft(ScriptedWorld):
        def attempt(self, person, method, day):
            if method == "card":
                return Attempt(journey.NOT_RUN, detail="no unused ID card left")
            return super().attempt(person, method, day)

    s = load("silta-hybrid")
    person = dataclasses.replace(citizen(bank=None), pin_recall=1.0)
    out = journey.Journeys(s, NoCardsLeft(), CounterQueue(0.1, 90), 1).run([person])[0]
    assert (out.status, out.reason) == (journey.NOT_RUN, o.CARD_LEG_MISSING)
    assert out.detail == "no unused ID card left" and out.attempts == 0
