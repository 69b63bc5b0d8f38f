"""Each citizen's path through simulated days: which method, retries, counters, paper, payment.

The decisions are here; every login, try of the card's secret, unblock, renewal and card
issuance is done by a `World`: the live federation (policy_sim/live/) or the offline model of
the same parties' rules (offline.py). A citizen's own random choices (remembering the secret,
mistyping a code, choosing a new PIN) are drawn here or in `secret_entries`, from their own
seeded generator and never depending on the world, so both worlds see the same citizen.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from . import municipalities
from . import outcome as o
from .clock import Agenda
from .clock import Counters
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
PIN_SPACE = 10_000  # 4-digit PINs


@dataclass
class Attempt:
    """What one step in the world ended in."""

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
    certificate_ok: bool
    knows_pin: bool = False  # set once the citizen chose a new secret at a counter
    card_locked: bool = False

    def remembers_pin(self) -> bool:
        return self.knows_pin or self.rng.random() < self.citizen.pin_recall


def secret_entries(person: Person, correct: str) -> list[str]:
    """What the citizen types, in order: the right secret if remembered, else up to their
    patience of distinct wrong ones (the card may lock first). The draws never depend on the
    right value, so a live card and the model consume the same randomness."""
    if person.remembers_pin():
        return [correct]
    offsets: list[int] = []
    while len(offsets) < person.citizen.patience_tries:
        offset = person.rng.randrange(1, PIN_SPACE)
        if offset not in offsets:
            offsets.append(offset)
    return [f"{(int(correct) + offset) % PIN_SPACE:04d}" for offset in offsets]


def new_pin(person: Person) -> str:
    """The secret a citizen chooses at a counter or on a new card."""
    return f"{person.rng.randrange(PIN_SPACE):04d}"


class World(Protocol):
    @property
    def card_available(self) -> bool: ...

    def attempt(self, person: Person, method: str, day: int, typo: bool) -> Attempt: ...

    def unblock(self, person: Person, day: int, pin: str) -> Attempt: ...

    def renew(self, person: Person, day: int, pin: str) -> Attempt: ...

    def issue_card(self, person: Person, day: int, pin: str) -> Attempt: ...


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
        elif not has_card:  # the card itself first: most who lack one lack it whatever device
            reasons.append(o.NO_CARD)
        elif not citizen.can_use_card_on_device(scenario):
            reasons.append(o.NO_CARD_READER if citizen.device == "pc" else o.UNSUPPORTED_PHONE)
        else:
            usable.append("card")
    if usable:
        return usable, ""
    return [], reasons[0] if len(reasons) == 1 else o.NO_BANK_NO_CARD


def new_person(scenario: Scenario, citizen: Citizen, seed: int) -> Person:
    """The citizen at the start of the run, with their own journey generator."""
    rng = random.Random(f"silta-policy-sim-journey:{seed}:{citizen.index}")  # noqa: S311
    return Person(
        citizen, o.Outcome(scenario.name, citizen), rng, citizen.has_card, citizen.certificate_ok
    )


def applies_for_card(person: Person, scenario: Scenario) -> bool:
    """Whether a citizen left without a card applies for one (the scenario's share)."""
    return person.rng.random() < scenario.policy.card_application_share


def may_need_card(scenario: Scenario, citizen: Citizen, seed: int) -> bool:
    """Whether the citizen may come to use a card of their own: the card is their first usable
    method, or they have none and apply for one (their first draw, as in `arrive`) and would
    wait for it; and their municipality opens online in time. Not counted: bank-first citizens
    whose bank refuses them, which a healthy demo does not do."""
    methods, reason = usable_methods(citizen, citizen.has_card, scenario)
    opens = municipalities.groups(scenario)[citizen.group].online_start
    late = opens is None or opens - citizen.arrival_day > citizen.patience_days
    if not citizen.intends_online:
        return False
    if methods:
        return methods[0] == "card" and not late
    person = new_person(scenario, citizen, seed)
    patient = citizen.patience_days >= scenario.capacity.issuance_days
    return reason == o.NO_CARD and applies_for_card(person, scenario) and patient


class Journeys:
    """Runs every citizen's steps in simulated-day order against one world."""

    def __init__(self, scenario: Scenario, world: World, counters: Counters, seed: int):
        self.scenario, self.world, self.counters, self.seed = scenario, world, counters, seed
        self.groups = municipalities.groups(scenario)
        self.agenda = Agenda()
        self.logins: Counter[tuple[int, str]] = Counter()  # (day, method) → login attempts

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
        citizen = person.citizen
        methods, reason = usable_methods(citizen, person.has_card, self.scenario)
        opens = self.groups[citizen.group].online_start
        wait = None if opens is None else max(0, opens - day)  # days until it opens online
        if methods and not citizen.intends_online:
            self.on_paper(day, person, o.CHOSE_PAPER)
        elif methods and (wait is None or wait > citizen.patience_days):
            self.on_paper(day, person, o.NO_ONLINE_SERVICE)  # never, or later than they wait
        elif methods and wait:
            self.agenda.add(day + wait, (self.arrive, person))  # the municipality opens later
        elif methods:
            self.try_methods(day, person, methods)
        elif (
            reason == o.NO_CARD
            and citizen.intends_online
            and applies_for_card(person, self.scenario)
        ):
            wanted = day + self.scenario.capacity.issuance_days
            self.book_counter(wanted, day, person, self.pick_up, o.GAVE_UP_CARD)
        else:
            self.on_paper(day, person, reason)

    def try_methods(self, day: int, person: Person, methods: list[str]) -> None:
        outcome, last, renew = person.outcome, o.NO_BANK_NO_CARD, False
        for method in methods:
            if method == "card" and not person.certificate_ok:
                renew = True  # found out at the login: the certificate is not valid
                continue
            if method == "card" and not self.world.card_available:
                last = NOT_RUN
                continue
            typo = (
                method == "bank" and person.rng.random() < self.scenario.population.code_typo_share
            )
            attempt = self.world.attempt(person, method, day, typo)
            if attempt.result == NOT_RUN:  # e.g. no demo card left for this citizen
                last, outcome.detail = NOT_RUN, attempt.detail
                continue
            self.logins[(day, method)] += 1
            outcome.attempts += 1
            outcome.wrong_pins += attempt.wrong_pins
            if attempt.result == COMPLETED:
                outcome.complete(day, method, attempt.application_id, attempt.application_status)
                self.paid(person, day + person.citizen.online_lag_days, o.ONLINE)
                return
            if attempt.result == FAILED:
                outcome.fail(attempt.detail)
                return
            if attempt.result == LOCKED:
                outcome.lockouts.append(attempt.locked_serial)
                person.card_locked = True
            last = {GAVE_UP: o.GAVE_UP_PIN, REFUSED: o.BANK_REFUSED}.get(attempt.result, last)
        if renew:
            self.book_counter(day + 1, day, person, self.renew, o.GAVE_UP_RENEWAL)
        elif person.card_locked or last == o.GAVE_UP_PIN:
            # A locked card, or a forgotten secret: the reset is at the counter.
            self.book_counter(day + 1, day, person, self.unblock, o.GAVE_UP_COUNTER)
        elif last == NOT_RUN:
            outcome.status, outcome.reason = NOT_RUN, o.CARD_LEG_MISSING
        else:
            self.on_paper(day, person, last)

    def book_counter(self, wanted: int, day: int, person: Person, step, give_up: str) -> None:
        """Queue at the municipality's counter from `wanted` on, unless the wait is past the
        citizen's patience (then, or without any slot in the period, they turn to paper)."""
        queue = self.counters.queue(person.citizen.group)
        slot = queue.peek(wanted)
        if slot is None:
            self.on_paper(day, person, o.LOCKED_NO_SLOT if step == self.unblock else give_up)
        elif slot - day > person.citizen.patience_days:
            self.on_paper(day, person, give_up)
        else:
            queue.book(wanted)  # the slot just peeked
            person.outcome.counter_days.append(slot)
            self.agenda.add(slot, (step, person))

    def unblock(self, day: int, person: Person) -> None:
        self._after_counter(day, person, self.world.unblock, "the unblock at the desk failed")

    def renew(self, day: int, person: Person) -> None:
        self._after_counter(day, person, self.world.renew, "the certificate renewal failed")

    def _after_counter(self, day: int, person: Person, action, failure: str) -> None:
        attempt = action(person, day, new_pin(person))
        if attempt.result != COMPLETED:
            person.outcome.fail(attempt.detail or failure)
            return
        person.card_locked, person.knows_pin, person.certificate_ok = False, True, True
        self.arrive(day, person)

    def pick_up(self, day: int, person: Person) -> None:
        if not self.world.card_available:
            person.outcome.status, person.outcome.reason = NOT_RUN, o.CARD_LEG_MISSING
            return
        attempt = self.world.issue_card(person, day, new_pin(person))
        if attempt.result != COMPLETED:
            person.outcome.fail(attempt.detail or "no card could be issued")
            return
        person.has_card = person.knows_pin = person.certificate_ok = True
        self.arrive(day, person)

    def on_paper(self, day: int, person: Person, reason: str) -> None:
        """Turned away online: the household applies with the paper form, if it ever comes."""
        person.outcome.turn_away(reason)
        citizen, pay = person.citizen, self.scenario.payment
        mail = self.groups[citizen.group].paper_mail
        if pay is None or citizen.non_applicant or mail is None:
            person.outcome.channel = o.NONE
            return
        posted = max(day, mail) + citizen.paper_return_days
        self.paid(person, posted + citizen.paper_lag_days, o.PAPER)

    def paid(self, person: Person, when: float, channel: str) -> None:
        person.outcome.channel = channel
        if self.scenario.payment is not None and when <= self.counters.horizon:
            person.outcome.paid_day = math.floor(when)
