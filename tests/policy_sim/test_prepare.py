"""What `silta compare` prepares on a demo: how many cards a run may need, and the card pool's
bookkeeping (ready, reset, issued, checked out and in) against a scripted issuer and bridge."""

from __future__ import annotations

import json

import pytest

from policy_sim import journey
from policy_sim import population
from policy_sim import runner
from policy_sim import scenario
from policy_sim.live import card_pool
from policy_sim.live.card_pool import CardPool
from policy_sim.prepare import cards_needed
from tests.policy_sim.support import ScriptedWorld

SHIPPED = ("japan-2019", "japan-2020-payment-surge", "finland", "silta-hybrid")


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("seed", [1, 7])
def test_every_card_a_run_hands_out_is_counted(name, seed):
    shipped = scenario.load(scenario.builtin(name))
    citizens = population.generate(shipped, 300, seed)
    world = ScriptedWorld()
    journey.Journeys(shipped, world, runner.counters_for(shipped, 300), seed).run(citizens)
    used = {index for method, index, _ in world.calls if method in ("card", "issue", "renew")}
    counted = {c.index for c in citizens if journey.may_need_card(shipped, c, seed)}
    assert used <= counted
    assert len(counted) <= 2 * len(used) + 5, "the bound should stay close to real use"


def test_cards_needed_adds_a_margin_for_failed_bank_logins():
    shipped = [scenario.load(scenario.builtin(n)) for n in ("japan-2020-payment-surge",)]
    bare = sum(
        journey.may_need_card(shipped[0], c, 1) for c in population.generate(shipped[0], 300, 1)
    )
    assert bare > 0
    assert cards_needed(shipped, 300, 1) == bare + -(-bare // 10)
    card_free = scenario.load(scenario.builtin("finland"))
    assert cards_needed([card_free], 1, 1) in (0, 1)


class Issuer:
    """The operator API as the pool uses it: cards, issuance, reset authorisations."""

    def __init__(self) -> None:
        self.cards: dict[str, dict] = {}
        self.resets: list[str] = []

    def issue(self, holder: str, pin: str) -> str:
        serial = str(1_000_000_000 + len(self.cards))
        self.cards[serial] = {"serial": serial, "holder": holder, "status": "active", "pin": pin}
        return serial

    def authorise_reset(self, serial: str) -> str:
        self.resets.append(serial)
        return f"code-{serial}"


def synthetic(count: int) -> list[dict]:
    return [{"eid": f"9{i:08d}X", "national_id": f"hetu-{i}", "name": "S"} for i in range(count)]


@pytest.fixture
def world(monkeypatch, tmp_path):
    """A pool on a scripted issuer and bridge: `tries` is what the bridge shows per serial."""
    issuer, tries = Issuer(), {}

    def unblock(_browser, _reader, serial, code, pin):
        assert code == f"code-{serial}"
        issuer.cards[serial]["pin"], tries[serial] = pin, 3

    monkeypatch.setattr(card_pool, "bridge_states", lambda _b, _r: dict(tries))
    monkeypatch.setattr(card_pool, "unblock_at_bridge", unblock)
    api = card_pool.OperatorApi("http://issuer.test", "operator", "secret")
    monkeypatch.setattr(api, "cards", lambda: list(issuer.cards.values()))
    monkeypatch.setattr(api, "issue", issuer.issue)
    monkeypatch.setattr(api, "authorise_reset", issuer.authorise_reset)

    def pool() -> CardPool:
        made = CardPool(tmp_path, api, "http://reader.test/")
        for serial in issuer.cards:
            tries.setdefault(serial, 3)
        return made

    return issuer, tries, pool


def test_a_new_pool_issues_what_is_needed_to_synthetic_holders(world, tmp_path):
    issuer, _tries, pool = world
    issuer.issue("100000001V", "1234")  # the demo's own card, not in the pool
    ready = pool().prepare(3, synthetic)
    assert [c.person for c in ready] == ["hetu-0", "hetu-1", "hetu-2"]
    assert all(issuer.cards[c.serial]["pin"] == c.pin for c in ready)
    saved = json.loads((tmp_path / "cards.json").read_text())
    assert [row["serial"] for row in saved] == [c.serial for c in ready]
    assert json.loads((tmp_path / "cards-checked-out.json").read_text()) == sorted(
        c.serial for c in ready
    )


def test_cards_are_reused_with_the_pin_checked_in(world, tmp_path):
    issuer, _tries, pool = world
    first = pool()
    ready = first.prepare(2, synthetic)
    first.check_in({ready[0].serial: "8642"})
    issuer.cards[ready[0].serial]["pin"] = "8642"
    assert not (tmp_path / "cards-checked-out.json").exists()
    again = pool().prepare(2, synthetic)
    assert {c.serial: c.pin for c in again} == {
        c.serial: issuer.cards[c.serial]["pin"] for c in again
    }
    assert len(issuer.cards) == 2 and not issuer.resets


def test_spent_and_unchecked_cards_get_a_new_pin_before_reuse(world):
    issuer, tries, pool = world
    first = pool()
    a, b, _c = first.prepare(3, synthetic)
    first.check_in({})
    tries[a.serial], tries[b.serial] = 0, 1  # locked; one try left
    second = pool()
    ready = second.prepare(3, synthetic)
    assert sorted(issuer.resets) == sorted([a.serial, b.serial]) and len(issuer.cards) == 3
    assert {x.serial: x.pin for x in ready} == {s: issuer.cards[s]["pin"] for s in issuer.cards}
    # The run dies without checking in: every card it was given has an unknown PIN now.
    issuer.resets.clear()
    third = pool().prepare(1, synthetic)
    assert issuer.resets == [third[0].serial] and second.report.restored == 2


def test_revoked_cards_are_dropped_and_the_pool_grows_to_the_need(world):
    issuer, _tries, pool = world
    first = pool()
    ready = first.prepare(2, synthetic)
    first.check_in({})
    issuer.cards[ready[0].serial]["status"] = "revoked"
    second = pool()
    cards = second.prepare(200, synthetic)  # no cap: the bridge finds a card by its index
    assert second.report.dropped == 1 and ready[0].serial not in {c.serial for c in cards}
    assert len(cards) == 200 and second.report.issued == 199
