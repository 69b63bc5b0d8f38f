"""The parties' rules without HTTP: the same journeys, for samples of hundreds of thousands.

Each rule is the one the live party enforces, so that a live run and an offline run of the same
citizens end the same way (tests/policy_sim/test_live_offline.py checks it on a live subset):

- bank (bank_mock): customer number, password and the key code are judged together; a mistyped
  code returns to the first screen and the citizen types it again (policy_sim/live/bank.py);
  the bank locks only after five failures, which one slip never reaches;
- card (card_mock reader): every wrong try of the secret is counted on the card, the card locks
  when the scenario's tries are spent, and the right secret gives the tries back;
- counter (card_mock issuer desk): an identity check authorises a reset or a new certificate,
  and the citizen sets a new secret themselves; a new card is handed over with a secret the
  citizen chooses.
"""

from __future__ import annotations

from .journey import COMPLETED
from .journey import GAVE_UP
from .journey import LOCKED
from .journey import Attempt
from .journey import Person
from .journey import secret_entries
from .scenario import Scenario

MODEL_SECRET = "0000"  # the model's stand-in for each card's secret: only equality matters


class OfflineWorld:
    """Every party's rules in memory; no server is called and nothing is measured."""

    card_available = True

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.tries: dict[int, int] = {}  # citizen → tries left on their card

    def attempt(self, person: Person, method: str, day: int, typo: bool) -> Attempt:
        index = person.citizen.index
        if method == "bank":  # a slip costs one more round at the bank, never a refusal
            return Attempt(
                COMPLETED, application_id=f"model-{index}", application_status="received"
            )
        full = self.scenario.card.tries
        left, wrong = self.tries.get(index, full), 0
        for entry in secret_entries(person, MODEL_SECRET):
            if entry == MODEL_SECRET:
                self.tries[index] = full
                return Attempt(
                    COMPLETED, wrong, application_id=f"model-{index}", application_status="received"
                )
            wrong, left = wrong + 1, left - 1
            self.tries[index] = left
            if left == 0:
                return Attempt(LOCKED, wrong, locked_serial=f"model-card-{index}")
        return Attempt(GAVE_UP, wrong)

    def unblock(self, person: Person, day: int, pin: str) -> Attempt:
        self.tries[person.citizen.index] = self.scenario.card.tries
        return Attempt(COMPLETED)

    renew = unblock  # a new certificate comes with a new secret and every try

    def issue_card(self, person: Person, day: int, pin: str) -> Attempt:
        self.tries[person.citizen.index] = self.scenario.card.tries
        return Attempt(COMPLETED)
