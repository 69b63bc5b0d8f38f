"""The ID-card leg: what the broker's card page script does, done by the simulated citizen.

The fixed card contract: the broker's card page names the bridge's sign URL
(`data-sign-url`, `{READER_URL}/sign?origin=…&challenge=…`) and a form with `challenge`,
`token` and `reader_error`; the bridge's page takes the card serial and the PIN; its result
page carries the message for the opener (`data-message`: a `silta-reader:token` with the Web
eID token, or `silta-reader:error` with `card_locked`). Wrong PINs are real tries on a real
card: three lock it in the bridge (the demo card has a 4-digit PIN and three tries). An
unblock is a real desk authorisation at the issuer (one-time reset code) followed by the
citizen's new PIN at the bridge's `/pin/unblock`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import field

from .. import journey
from ..journey import Attempt
from ..journey import Person
from .accounts import AccountPool
from .accounts import IdCard
from .browser import Browser
from .browser import LiveError
from .browser import Page

TOKEN, ERROR = "silta-reader:token", "silta-reader:error"
RESET_CODE = re.compile(r'<output id="reset-code">([^<]+)</output>')


def reader_message(page: Page) -> dict | None:
    """The message the bridge's result page would post to the opener, if this is that page."""
    raw = page.attribute("data-message")
    return json.loads(raw) if raw else None


def card_locked_on(page: Page, serial: str) -> bool:
    """Whether the bridge's own page shows this card as locked (index or card choice)."""
    row = re.search(
        rf"(?:<td>{serial}</td>|id=\"card-{serial}\").*?class=\"state( locked)?\"", page.text, re.S
    )
    if row is None:
        raise LiveError(f"the bridge's page at {page.url} does not list card {serial}")
    return bool(row.group(1))


STATE_ROW = re.compile(r'<td>(\d{10})</td>\s*<td class="state( locked)?">([^<]*)</td>')


def bridge_states(browser: Browser, reader_url: str) -> dict[str, int]:
    """PIN tries left of every card the bridge lists on its index page (0: locked)."""
    page = browser.get(reader_url + "/")
    if page.status != 200:
        raise LiveError(f"the bridge's page at {page.url} answered {page.status}")
    states = {}
    for serial, locked, text in STATE_ROW.findall(page.text):
        tries = re.search(r"\d+", text)
        states[serial] = 0 if locked or tries is None else int(tries.group())
    return states


def unblock_at_bridge(browser: Browser, reader_url: str, serial: str, code: str, pin: str) -> None:
    """The citizen's step after a reset authorisation: the one-time code and a new PIN, twice."""
    page = browser.get(reader_url + "/pin/unblock")
    done = browser.submit(page.form("code"), card=serial, code=code, new_pin=pin, new_pin_again=pin)
    if done.status != 200 or any("new_pin" in f.fields for f in done.forms()):
        raise LiveError(f"the bridge refused the unblock of {serial} ({done.status})")


@dataclass
class Desk:
    """A desk official at the issuer (card_mock README, "The PIN-reset desk"): one session."""

    issuer_url: str
    official_id: str
    password: str
    browser: Browser = field(default_factory=lambda: Browser("127.255.255.254"))

    def authorise(self, serial: str) -> str:
        """Check the citizen in person (simulated), authorise a reset, read the one-time code."""
        page = self.browser.get(self.issuer_url + "/desk/")
        if "official_id" in {n for f in page.forms() for n in f.fields}:
            login = page.form("official_id")
            page = self.browser.submit(login, official_id=self.official_id, password=self.password)
        form = page.form("card_serial")
        page = self.browser.submit(form, card_serial=serial, identity_checked="y")
        code = RESET_CODE.search(page.text)
        if page.status != 200 or code is None:
            raise LiveError(f"the desk refused a reset for card {serial} ({page.status})")
        return code.group(1).strip()


@dataclass
class ReaderCardLeg:
    """Card logins, unblocks and new cards for the journeys, on the live bridge and issuer."""

    reader_url: str
    desk: Desk
    pool: AccountPool
    cards: dict[int, IdCard] = field(default_factory=dict)  # citizen index → card
    pins: dict[str, str] = field(default_factory=dict)  # serial → the PIN on the card now
    confirmed_locks: list[str] = field(default_factory=list)

    def card(self, person: Person) -> IdCard:
        index = person.citizen.index
        if index not in self.cards:
            card = self.cards[index] = self.pool.take_card()
            self.pins[card.serial] = card.pin
        return self.cards[index]

    def log_in(self, browser: Browser, choice: Page, person: Person) -> tuple[Page, Attempt]:
        card = self.card(person)
        link = next((href for href in choice.links() if "/method/id-card/" in href), None)
        if link is None:
            raise LiveError(f"the broker's method choice at {choice.url} offers no ID card")
        page = browser.get(link)
        sign_url, back = page.attribute("data-sign-url"), page.form("token")
        if not sign_url:
            raise LiveError(f"the broker's card page at {page.url} names no reader bridge")
        sign_page, wrong = browser.get(sign_url), 0
        for pin in journey.secret_entries(person, self.pins[card.serial]):
            result = browser.submit(sign_page.form("pin"), card=card.serial, pin=pin)
            message = reader_message(result)
            if message and message.get("type") == TOKEN:
                return browser.submit(back, token=json.dumps(message["token"])), Attempt(
                    journey.COMPLETED, wrong
                )
            if message and message.get("code") == "card_locked":
                # The bridge counted this PIN as a try and the card locked on it.
                return self._locked(browser, back, card, wrong + 1)
            if result.status != 400 or "pin" not in {n for f in result.forms() for n in f.fields}:
                raise LiveError(f"the bridge answered {result.status} at {result.url}")
            wrong += 1
            if card_locked_on(result, card.serial):
                return self._locked(browser, back, card, wrong)
            sign_page = result
        return page, Attempt(journey.GAVE_UP, wrong)

    def _locked(self, browser: Browser, back, card: IdCard, wrong: int) -> tuple[Page, Attempt]:
        """Tell the broker as the page script would, and check the lock on the bridge itself."""
        page = browser.submit(back, reader_error="card_locked")
        if not card_locked_on(browser.get(self.reader_url + "/"), card.serial):
            raise LiveError(f"card {card.serial} was reported locked but the bridge shows it open")
        self.confirmed_locks.append(card.serial)
        return page, Attempt(journey.LOCKED, wrong, locked_serial=card.serial)

    def unblock(self, browser: Browser, person: Person, new_pin: str) -> Attempt:
        """Desk authorisation, then the citizen's own new PIN at the bridge."""
        card = self.card(person)
        code = self.desk.authorise(card.serial)
        unblock_at_bridge(browser, self.reader_url, card.serial, code, new_pin)
        self.pins[card.serial] = new_pin
        return Attempt(journey.COMPLETED)

    def issue(self, browser: Browser, person: Person, new_pin: str) -> Attempt:
        """A new card handed over at the counter; the citizen sets their own PIN at once."""
        card = self.card(person)
        page = browser.get(self.reader_url + "/pin/change")
        done = browser.submit(
            page.form("old_pin"),
            card=card.serial,
            old_pin=card.pin,
            new_pin=new_pin,
            new_pin_again=new_pin,
        )
        if done.status != 200 or any("new_pin" in f.fields for f in done.forms()):
            raise LiveError(f"the bridge refused the PIN change of {card.serial} ({done.status})")
        self.pins[card.serial] = new_pin
        return Attempt(journey.COMPLETED)
