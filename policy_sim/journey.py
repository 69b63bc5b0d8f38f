"""Each citizen's path through simulated days: which method, retries, counters, giving up.

The decisions are here; every login, PIN try, unblock and application is done by a `World`
(the live federation, policy_sim/live/). A citizen's own random choices (remembering the PIN,
mistyping a code) come from their own seeded generator, so a run is reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Protocol

from . import outcome as o
from .clock import Agenda
from .clock import CounterQueue
from .population import Citizen
from .scenario import Scenario

COMPLETED, LOCKED, GAVE_UP, REFUSED, FAILED, NOT_RUN = (
    "completed",
    "locked",
    "gave_up",
    "refused",
    "failed",
    "not_run",
)


@dataclass
class Attempt:
    """What one live step ended in."""

    result: str
    wrong_pins: int = 0
    locked_serial: str = ""
    application_id: str = ""
    application_status: str = ""
    detail: str = ""


@dataclass
class Person:
    """A citizen during the run: their outcome so far and what they know and hold now."""

    citizen: Citizen
    outcome: o.Outcome
    rng: random.Random
    has_card: bool
    knows_pin: bool = False  # set once the citizen chose a new PIN at an unblock or issuance
    card_locked: bool = False

    def remembers_pin(self) -> bool:
        return self.knows_pin or self.rng.random() < self.citizen.pin_recall


def pin_entries(person: Person, correct: str) -> list[str]:
    """The PINs the citizen types, in order: the right one if remembered, else up to their
    patience of wrong guesses (the card may lock first)."""
    if person.remembers_pin():
        return [correct]
    guesses: list[str] = []
    while len(guesses) < person.citizen.patience_tries:
        guess = f"{person.rng.randrange(10_000):04d}"
        if guess != correct and guess not in guesses:
            guesses.append(guess)
    return guesses


class World(Protocol):
    card_available: bool

    def attempt(self, person: Person, method: str, day: int) -> Attempt: ...

    def unblock(self, person: Person, day: int) -> Attempt: ...

    def issue_card(self, person: Person, day: int) -> Attempt: ...


def usable_methods(citizen: Citizen, has_card: bool, scenario: Scenario) -> tuple[list[str], str]:
    """The policy's methods this citizen can use now, or why there is none."""
    if citizen.device == "none":
        return [], o.NO_DEVICE
    usable, reasons = [], []
    for method in scenario.policy.methods:
        if method == "bank" and citizen.bank:
            usable.append("bank")
        elif method == "bank":
            reasons.append(o.NO_BANK_NO_CARD)
        elif not citizen.can_use_card_on_device(scenario):
            reasons.append(o.NO_CARD_READER if citizen.device == "pc" else o.UNSUPPORTED_PHONE)
        elif not has_card:
            reasons.append(o.NO_CARD)
        else:
            usable.append("card")
    if usable:
        return usable, ""
    return [], reasons[0] if len(reasons) == 1 else o.NO_BANK_NO_CARD


def new_person(scenario: Scenario, citizen: Citizen, seed: int) -> Person:
    """The citizen at the start of the run, with their own journey generator."""
    rng = random.Random(f"silta-policy-sim-journey:{seed}:{citizen.index}")  # noqa: S311
    return Person(citizen, o.Outcome(scenario.name, citizen), rng, has_card=citizen.has_card)


def applies_for_card(person: Person, scenario: Scenario) -> bool:
    """Whether a citizen left without a card applies for one (the scenario's share)."""
    return person.rng.random() < scenario.policy.card_application_share


def may_need_card(scenario: Scenario, citizen: Citizen, seed: int) -> bool:
    """Whether the citizen may come to log in with a card of their own: the card is their first
    usable method, or they have none and apply for one (their first draw, as in `arrive`). Not
    counted: bank-first citizens whose bank refuses them, which a healthy demo does not do."""
    methods, reason = usable_methods(citizen, citizen.has_card, scenario)
    if methods:
        return methods[0] == "card"
    return reason == o.NO_CARD and applies_for_card(new_person(scenario, citizen, seed), scenario)


class Journeys:
    """Runs every citizen's steps in simulated-day order against one world."""

    def __init__(self, scenario: Scenario, world: World, counters: CounterQueue, seed: int):
        self.scenario, self.world, self.counters, self.seed = scenario, world, counters, seed
        self.agenda = Agenda()

    def run(self, citizens: list[Citizen], progress=None) -> list[o.Outcome]:
        people = [new_person(self.scenario, c, self.seed) for c in citizens]
        for person in people:
            self.agenda.add(person.citizen.arrival_day, (self.arrive, person))
        while self.agenda:
            day, (step, person) = self.agenda.pop()
            step(day, person)
            if progress and person.outcome.finished:
                progress(person.outcome)
        return [p.outcome for p in people]

    def arrive(self, day: int, person: Person) -> None:
        methods, reason = usable_methods(person.citizen, person.has_card, self.scenario)
        if methods:
            self.try_methods(day, person, methods)
        elif reason == o.NO_CARD and applies_for_card(person, self.scenario):
            self.book_counter(day + self.scenario.capacity.issuance_days, day, person, self.pick_up)
        else:
            person.outcome.turn_away(reason)

    def try_methods(self, day: int, person: Person, methods: list[str]) -> None:
        outcome, last = person.outcome, o.NO_BANK_NO_CARD
        for method in methods:
            if method == "card" and not self.world.card_available:
                last = NOT_RUN
                continue
            attempt = self.world.attempt(person, method, day)
            if attempt.result == NOT_RUN:  # e.g. no demo card left for this citizen
                last, outcome.detail = NOT_RUN, attempt.detail
                continue
            outcome.attempts += 1
            outcome.wrong_pins += attempt.wrong_pins
            if attempt.result == COMPLETED:
                outcome.complete(day, method, attempt.application_id, attempt.application_status)
                return
            if attempt.result == FAILED:
                outcome.fail(attempt.detail)
                return
            if attempt.result == LOCKED:
                outcome.lockouts.append(attempt.locked_serial)
                person.card_locked = True
            last = {GAVE_UP: o.GAVE_UP_PIN, REFUSED: o.BANK_REFUSED}.get(attempt.result, last)
        if person.card_locked:
            self.book_counter(day + 1, day, person, self.unblock)
        elif last == NOT_RUN:
            outcome.status, outcome.reason = NOT_RUN, o.CARD_LEG_MISSING
        else:
            outcome.turn_away(last)

    def book_counter(self, wanted: int, day: int, person: Person, step) -> None:
        """Queue for a counter from `wanted` on, unless the wait is past the citizen's patience."""
        slot = self.counters.peek(wanted)
        locked = step == self.unblock
        if slot is None:
            person.outcome.turn_away(o.LOCKED_NO_SLOT if locked else o.GAVE_UP_CARD)
        elif slot - day > person.citizen.patience_days:
            person.outcome.turn_away(o.GAVE_UP_COUNTER if locked else o.GAVE_UP_CARD)
        else:
            person.outcome.counter_days.append(self.counters.book(wanted))
            self.agenda.add(slot, (step, person))

    def unblock(self, day: int, person: Person) -> None:
        attempt = self.world.unblock(person, day)
        if attempt.result != COMPLETED:
            person.outcome.fail(attempt.detail or "the unblock at the desk failed")
            return
        person.card_locked, person.knows_pin = False, True
        self.arrive(day, person)

    def pick_up(self, day: int, person: Person) -> None:
        if not self.world.card_available:
            person.outcome.status, person.outcome.reason = NOT_RUN, o.CARD_LEG_MISSING
            return
        attempt = self.world.issue_card(person, day)
        if attempt.result != COMPLETED:
            person.outcome.fail(attempt.detail or "no card could be issued")
            return
        person.has_card, person.knows_pin = True, True
        self.arrive(day, person)
