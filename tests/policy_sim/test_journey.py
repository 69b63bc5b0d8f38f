"""Journey decisions, with a scripted world standing in for the live system (the live run is in
test_end_to_end.py): who may use which method, retries, lockouts, counters, patience."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from policy_sim import journey
from policy_sim import municipalities
from policy_sim import outcome as o
from policy_sim import population
from policy_sim import runner
from policy_sim import scenario
from policy_sim.clock import CounterQueue
from policy_sim.journey import Attempt
from tests.policy_sim.support import ScriptedWorld
from tests.policy_sim.support import citizen


def load(name: str) -> scenario.Scenario:
    return scenario.load(scenario.builtin(name))


@pytest.mark.parametrize(
    ("name", "changes", "usable", "reason"),
    [
        ("japan-2019", {}, ["card"], ""),
        ("japan-2019", {"device": "iphone"}, [], o.UNSUPPORTED_PHONE),
        ("japan-2020-payment-surge", {"device": "iphone"}, ["card"], ""),
        ("japan-2020-payment-surge", {"device": "iphone", "has_card": False}, [], o.NO_CARD),
        (
            "japan-2019",
            {"device": "android_nfc", "phone_supported": False},
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
    counters = runner.counters_for(s, sample)
    outcomes = journey.Journeys(s, world, counters, seed).run(population.generate(s, sample, seed))
    return s, world, counters, outcomes


def one(name: str, person, world=None, rate: float = 0.5, **changes):
    """One citizen's journey, with a single counter queue of `rate` visits a day."""
    s = load(name)
    if changes:
        s = s.replaced(changes)
    groups = municipalities.groups(s)
    if "group" not in changes and groups[person.group].online_start is None:
        opening = next(i for i, g in enumerate(groups) if g.online_start == 0 and g.paper_mail)
        person = dataclasses.replace(person, group=opening)  # a municipality open from day 0
    counters = runner.counters_for(s, 1)
    counters.queues = [CounterQueue(rate, counters.horizon) for _ in counters.queues]
    world = world or ScriptedWorld()
    return journey.Journeys(s, world, counters, 1).run([person])[0], world


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
    for queue in counters.queues:
        for day, visits in queue.visits.items():
            assert visits <= queue.capacity_on(day)
    for out in outcomes:
        assert out.channel in (o.ONLINE, o.PAPER, o.NONE)
        if out.paid_day is not None:
            assert out.paid_day >= (out.completed_day or 0)
    locks = Counter(serial for out in outcomes for serial in out.lockouts)
    assert all(n == 1 for n in locks.values())


def test_a_locked_card_waits_for_the_counter_then_completes():
    person = citizen(bank=None, pin_recall=0.0, patience_tries=3, patience_days=100)
    out, world = one("japan-2019", person)
    assert out.status == o.COMPLETED and out.method == "card"
    assert out.lockouts == ["card-0"] and out.wrong_pins == 3
    assert out.counter_days == [1]  # day 1 is the first with a slot at 0.5 a day
    assert [c[0] for c in world.calls] == ["card", "unblock", "card"]
    assert out.completed_day == 1


def test_a_forgotten_secret_that_did_not_lock_also_goes_to_the_counter():
    person = citizen(bank=None, pin_recall=0.0, patience_tries=1, patience_days=100)
    out, _world = one("japan-2019", person)
    assert out.status == o.COMPLETED and out.lockouts == [] and out.counter_days == [1]


def test_an_impatient_citizen_gives_up_on_the_queue_and_applies_on_paper():
    person = citizen(pin_recall=0.0, patience_tries=3, patience_days=2)
    out, _ = one("japan-2020-payment-surge", person, rate=0.1)
    assert out.status == o.TURNED_AWAY and out.reason == o.GAVE_UP_COUNTER
    assert out.counter_days == [] and out.channel == o.PAPER
    mail = municipalities.groups(load("japan-2020-payment-surge"))[out.citizen.group].paper_mail
    assert out.paid_day == mail + 2 + 9  # the form arrives, goes back, is handled


def test_a_lapsed_certificate_is_renewed_at_the_counter():
    person = citizen(bank=None, certificate_ok=False, patience_days=100)
    out, world = one("japan-2020-payment-surge", person)
    assert out.status == o.COMPLETED and out.counter_days == [1]
    assert [c[0] for c in world.calls] == ["renew", "card"]
    assert out.paid_day == 1 + 5


def test_a_household_waits_for_its_municipality_to_open_online():
    surge = load("japan-2020-payment-surge")
    late = next(i for i, g in enumerate(municipalities.groups(surge)) if g.online_start == 20)
    out, _ = one("japan-2020-payment-surge", citizen(group=late, patience_days=30))
    assert out.status == o.COMPLETED and out.completed_day == 20
    out, _ = one("japan-2020-payment-surge", citizen(group=late, patience_days=5))
    assert out.reason == o.NO_ONLINE_SERVICE and out.channel == o.PAPER


def test_a_household_that_prefers_paper_waits_for_the_form():
    out, world = one("japan-2020-payment-surge", citizen(intends_online=False))
    assert out.reason == o.CHOSE_PAPER and not world.calls and out.channel == o.PAPER


def test_a_locked_card_falls_back_to_the_bank_under_the_hybrid_policy():
    person = citizen(pin_recall=0.0, patience_tries=3)
    out, _ = one("silta-hybrid", person, rate=0.1, **{"policy.methods": ("card", "bank")})
    assert out.status == o.COMPLETED and out.method == "bank"
    assert out.lockouts == ["card-0"]


def test_card_citizens_are_not_run_without_a_card_leg():
    _, world, _, outcomes = run("japan-2019", world=ScriptedWorld(card_available=False))
    statuses = Counter(out.status for out in outcomes)
    assert statuses[journey.NOT_RUN] > 0 and statuses[o.COMPLETED] == 0
    assert not [call for call in world.calls if call[0] == "card"]


def test_a_citizen_without_a_demo_card_left_is_not_run():
    class NoCardsLeft(ScriptedWorld):
        def attempt(self, person, method, day, typo):
            if method == "card":
                return Attempt(journey.NOT_RUN, detail="no unused ID card left")
            return super().attempt(person, method, day, typo)

    out, _ = one("silta-hybrid", citizen(bank=None, pin_recall=1.0), NoCardsLeft(), rate=0.1)
    assert (out.status, out.reason) == (journey.NOT_RUN, o.CARD_LEG_MISSING)
    assert out.detail == "no unused ID card left" and out.attempts == 0


def test_wrong_entries_do_not_depend_on_the_right_secret():
    """The live card and the model have different secrets: they must see the same citizen."""
    made = population.citizen(load("japan-2019"), 3, 11)
    a = journey.new_person(load("japan-2019"), dataclasses.replace(made, pin_recall=0.0), 3)
    b = journey.new_person(load("japan-2019"), dataclasses.replace(made, pin_recall=0.0), 3)
    wrong_a, wrong_b = journey.secret_entries(a, "1234"), journey.secret_entries(b, "0000")
    assert len(wrong_a) == len(wrong_b) == made.patience_tries
    assert "1234" not in wrong_a and "0000" not in wrong_b
    assert a.rng.random() == b.rng.random()  # the same draws were used up
