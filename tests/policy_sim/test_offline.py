"""The offline world enforces the parties' rules as the live ones do."""

from __future__ import annotations

import dataclasses

from policy_sim import journey
from policy_sim import scenario
from policy_sim.offline import OfflineWorld
from tests.policy_sim.support import citizen


def person(s, **changes):
    return journey.new_person(s, citizen(**changes), 1)


def test_the_card_locks_when_the_scenarios_tries_are_spent():
    surge = scenario.load(scenario.builtin("japan-2020-payment-surge"))  # password, 5 tries
    world = OfflineWorld(surge)
    first = world.attempt(person(surge, pin_recall=0.0, patience_tries=3), "card", 0, False)
    assert (first.result, first.wrong_pins) == (journey.GAVE_UP, 3)
    second = world.attempt(person(surge, pin_recall=0.0, patience_tries=3), "card", 1, False)
    assert (second.result, second.wrong_pins) == (journey.LOCKED, 2)  # 3 + 2 = 5 tries


def test_the_right_secret_gives_the_tries_back_and_a_reset_restores_them():
    pin = scenario.load(scenario.builtin("japan-2019"))  # 4-digit PIN, 3 tries
    world = OfflineWorld(pin)
    world.attempt(person(pin, pin_recall=0.0, patience_tries=2), "card", 0, False)
    assert world.tries[0] == 1
    assert world.attempt(person(pin, pin_recall=1.0), "card", 0, False).result == journey.COMPLETED
    assert world.tries[0] == 3
    world.tries[0] = 0
    world.unblock(person(pin), 2, "1111")
    assert world.tries[0] == 3


def test_a_bank_slip_costs_a_round_not_the_login():
    hybrid = scenario.load(scenario.builtin("silta-hybrid"))
    found = OfflineWorld(hybrid).attempt(person(hybrid), "bank", 0, True)
    assert found.result == journey.COMPLETED and found.application_status == "received"
    assert dataclasses.is_dataclass(found)
