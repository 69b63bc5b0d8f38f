"""The population generator: reproducible under a seed, faithful to the scenario's shares."""

from __future__ import annotations

import dataclasses

import pytest

from policy_sim import municipalities
from policy_sim import population
from policy_sim import scenario
from tests.policy_sim.support import citizen


def load(name: str) -> scenario.Scenario:
    return scenario.load(scenario.builtin(name))


def test_same_seed_same_citizens():
    s = load("japan-2020-payment-surge")
    assert population.generate(s, 300, seed=7) == population.generate(s, 300, seed=7)


def test_another_seed_other_citizens():
    s = load("japan-2020-payment-surge")
    assert population.generate(s, 300, seed=7) != population.generate(s, 300, seed=8)


def test_a_citizen_does_not_depend_on_the_sample_size():
    s = load("finland")
    assert population.generate(s, 50, seed=3)[:20] == population.generate(s, 20, seed=3)


def test_the_same_person_under_two_policies():
    """Common random numbers: the surge and the hybrid share their population parameters."""
    surge, hybrid = load("japan-2020-payment-surge"), load("silta-hybrid")
    for a, b in zip(
        population.generate(surge, 200, 1), population.generate(hybrid, 200, 1), strict=True
    ):
        same = ("bank", "has_card", "device", "arrival_day", "group", "age_band", "patience_days")
        assert [getattr(a, f) for f in same] == [getattr(b, f) for f in same]


def test_shares_follow_the_scenario():
    s = load("japan-2019")
    citizens = population.generate(s, 4000, seed=11)
    holders = sum(c.has_card for c in citizens) / len(citizens)
    banked = sum(c.bank is not None for c in citizens) / len(citizens)
    iphones = sum(c.device == "iphone" for c in citizens) / len(citizens)
    expected = sum(share * s.population.devices[band]["iphone"]
                   for band, share in s.population.age_bands.items())  # fmt: skip
    assert holders == pytest.approx(0.13, abs=0.02)
    assert banked == pytest.approx(0.59, abs=0.03)
    assert iphones == pytest.approx(expected, abs=0.03)
    old = [c for c in citizens if c.age_band == "65_plus"]
    assert sum(c.device == "none" for c in old) / len(old) == pytest.approx(0.40, abs=0.05)
    assert {c.bank for c in citizens} == {None, "aurora", "kide", "revontuli"}
    pop = s.population
    assert all(
        pop.patience_tries_min <= c.patience_tries <= pop.patience_tries_max for c in citizens
    )
    assert all(0 <= c.arrival_day < s.demand.window_days for c in citizens)
    assert sum(c.pin_recall for c in citizens) / len(citizens) == pytest.approx(0.75, abs=0.02)
    groups = {c.group for c in citizens}
    assert len(groups) == 1  # every municipality opens on day 0 in 2019: one pooled queue


def test_front_loaded_demand_arrives_early():
    s = load("japan-2020-payment-surge")  # half-life 2 days over 60
    days = [c.arrival_day for c in population.generate(s, 2000, seed=2)]
    assert sum(d < 2 for d in days) / len(days) == pytest.approx(0.5 / (1 - 0.5**30), abs=0.04)


def test_card_devices_follow_the_policy():
    japan = load("japan-2019")
    base = citizen(device="iphone", phone_supported=False)
    assert not base.can_use_card_on_device(japan)
    assert dataclasses.replace(base, device="card_reader_pc").can_use_card_on_device(japan)
    assert not dataclasses.replace(base, device="android_nfc").can_use_card_on_device(japan)
    android = dataclasses.replace(base, device="android_nfc", phone_supported=True)
    assert android.can_use_card_on_device(japan)
    supported_iphone = dataclasses.replace(base, phone_supported=True)
    assert not supported_iphone.can_use_card_on_device(japan)  # no iPhone in 2019
    assert supported_iphone.can_use_card_on_device(load("japan-2020-payment-surge"))
    assert not dataclasses.replace(base, device="pc").can_use_card_on_device(load("silta-hybrid"))


def test_municipal_queues_share_population_and_capacity():
    surge = load("japan-2020-payment-surge")
    groups = municipalities.groups(surge)
    assert sum(g.municipalities for g in groups) == 1_741
    assert sum(g.population_share for g in groups) == pytest.approx(1)
    assert sum(g.capacity_share for g in groups) == pytest.approx(1)
    opening = sum(g.municipalities for g in groups if g.online_start == 0)
    assert abs(opening - 679) <= 2  # the 679 of 1,741 that opened on 1 May 2020


def test_an_empty_sample_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        population.generate(load("finland"), 0, seed=1)
