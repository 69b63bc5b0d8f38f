"""The live federation as the journeys' world: every step is real HTTP, timed and CPU-measured."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Protocol

from .. import journey
from ..journey import Attempt
from ..journey import Person
from ..outcome import Measurement
from ..scenario import Scenario
from . import bank
from . import measure
from .accounts import AccountPool
from .accounts import AccountsError
from .accounts import BankAccount
from .accounts import IdCard
from .browser import Browser
from .browser import LiveError
from .browser import Page
from .browser import Stopwatch
from .browser import source_address
from .service import BenefitsOffice


class CardLeg(Protocol):
    """The ID-card leg: card login through the reader bridge, desk unblock, card issuance."""

    def card(self, person: Person) -> IdCard: ...

    def log_in(self, browser: Browser, choice: Page, person: Person) -> tuple[Page, Attempt]: ...

    def unblock(self, browser: Browser, person: Person, pin: str) -> Attempt: ...

    def issue(self, browser: Browser, person: Person, pin: str) -> Attempt: ...


@dataclass
class LiveWorld:
    scenario: Scenario
    service: BenefitsOffice
    pool: AccountPool
    servers: dict[str, int]  # name → pid of each server process measured
    card_leg: CardLeg | None = None
    measurements: list[Measurement] = field(default_factory=list)
    browsers: dict[int, Browser] = field(default_factory=dict)
    accounts: dict[int, BankAccount] = field(default_factory=dict)

    @property
    def card_available(self) -> bool:
        return self.card_leg is not None

    def leg(self) -> CardLeg:
        """The card leg; the journeys ask for a card step only when `card_available`."""
        if self.card_leg is None:
            raise LiveError("no card leg: the reader bridge or the desk is not configured")
        return self.card_leg

    def close(self) -> None:
        for browser in self.browsers.values():
            browser.close()

    def browser(self, person: Person) -> Browser:
        index = person.citizen.index
        if index not in self.browsers:
            self.browsers[index] = Browser(source_address(index))
        return self.browsers[index]

    def account(self, person: Person) -> BankAccount:
        index = person.citizen.index
        if index not in self.accounts:
            self.accounts[index] = self.pool.take(person.citizen.bank or "")
        return self.accounts[index]

    def _measured(self, person: Person, day: int, method: str, step: str, action):
        """Run `action()` → (ok, value), recording wall time, server CPU and request count."""
        browser = self.browser(person)
        requests_before = browser.requests
        before = measure.tree_cpu(self.servers)
        with Stopwatch() as clock:
            try:
                ok, value = action()
            except LiveError as error:
                ok, value = False, error
        used = measure.delta(before, measure.tree_cpu(self.servers))
        self.measurements.append(
            Measurement(
                self.scenario.name,
                person.citizen.index,
                day,
                method,
                step,
                ok,
                clock.seconds,
                used,
                browser.requests - requests_before,
            )
        )
        if isinstance(value, LiveError):
            raise value
        return value

    def attempt(self, person: Person, method: str, day: int, typo: bool) -> Attempt:
        browser = self.browser(person)
        if method == "card":
            try:
                self.leg().card(person)
            except AccountsError as error:
                return Attempt(journey.NOT_RUN, detail=str(error))
        try:
            _, result = self._measured(
                person, day, method, "login", lambda: self._log_in(browser, person, method, typo)
            )
            if result.result != journey.COMPLETED:
                return result
            application_id, status = self._measured(
                person, day, method, "application", lambda: (True, self.service.apply(browser))
            )
        except LiveError as error:
            return Attempt(journey.FAILED, detail=str(error))
        return Attempt(
            journey.COMPLETED,
            wrong_pins=result.wrong_pins,
            application_id=application_id,
            application_status=status,
        )

    def _log_in(self, browser: Browser, person: Person, method: str, typo: bool):
        choice = self.service.start_login(browser)
        if method == "bank":
            page, let_in = bank.log_in(browser, choice, self.account(person), typo)
            if not let_in:
                return False, (page, Attempt(journey.REFUSED, detail=f"bank page {page.url}"))
            result = Attempt(journey.COMPLETED)
        else:
            page, result = self.leg().log_in(browser, choice, person)
            if result.result != journey.COMPLETED:
                return False, (page, result)
        page = self.service.consent(browser, page)
        if not self.service.back_at_service(page):
            raise LiveError(f"not back at the service after login: {page.status} at {page.url}")
        return True, (page, result)

    def unblock(self, person: Person, day: int, pin: str) -> Attempt:
        return self._card_step(person, day, "unblock", self.leg().unblock, pin)

    def renew(self, person: Person, day: int, pin: str) -> Attempt:
        """A new certificate at the counter: the demo has no lapsed certificates, so the live
        step is the same identity check and new secret as an unblock."""
        return self._card_step(person, day, "renewal", self.leg().unblock, pin)

    def issue_card(self, person: Person, day: int, pin: str) -> Attempt:
        return self._card_step(person, day, "issuance", self.leg().issue, pin)

    def _card_step(self, person: Person, day: int, step: str, action, pin: str) -> Attempt:
        try:
            browser = self.browser(person)
            return self._measured(
                person, day, "card", step, lambda: self._ok(action(browser, person, pin))
            )
        except LiveError as error:
            return Attempt(journey.FAILED, detail=str(error))

    @staticmethod
    def _ok(attempt: Attempt) -> tuple[bool, Attempt]:
        return attempt.result == journey.COMPLETED, attempt
