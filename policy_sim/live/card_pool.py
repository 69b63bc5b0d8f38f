"""The demo's pool of ID cards with known PINs: kept in the demo folder and reused across runs.

Cards are issued through the card authority's operator API (card_mock/issuer/views/api.py) to
synthetic holders, each with a PIN chosen here (the PIN letter's stand-in). The cards file is a
JSON list of {"serial", "pin", "person"}, the `--cards` format. A card goes to a run only when
the bridge shows all three tries left and its PIN is known. Any other card (tries spent, locked,
or handed to a run that never checked it back in) is first restored as a citizen would be: a
reset authorisation, then a new PIN at the bridge (ARCHITECTURE §1, no one else types it).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path

import requests

from .accounts import IdCard
from .accounts import cards_from_file
from .browser import Browser
from .browser import LiveError
from .card import bridge_states
from .card import unblock_at_bridge

FULL_TRIES = 3  # the card contract: three PIN tries
OPERATOR_ADDRESS = "127.255.255.253"  # the operator's own machine, apart from any citizen's
RATE_LIMIT_WAITS = 3
ISSUE_TIMEOUT = 60.0  # a key is generated on the card's token
TIMEOUT = 10.0


def new_pin() -> str:
    return f"{secrets.randbelow(10_000):04d}"


@dataclass
class OperatorApi:
    """The authority's operator endpoints, authenticated with HTTP Basic (RFC 7617)."""

    base_url: str
    operator_id: str
    secret: str

    def __post_init__(self) -> None:
        self.browser = Browser(OPERATOR_ADDRESS)

    def call(self, method: str, path: str, timeout: float = TIMEOUT, **kwargs) -> dict:
        """One call; waits out the issuer's per-minute limit (429) a few times."""
        url, auth = self.base_url + path, (self.operator_id, self.secret)
        for _ in range(RATE_LIMIT_WAITS + 1):
            try:
                response = self.browser.session.request(
                    method, url, auth=auth, timeout=timeout, **kwargs
                )
            except requests.RequestException as error:
                raise LiveError(
                    f"the card issuer does not answer {method} {url}: {error}"
                ) from None
            if response.status_code != 429:
                break
            time.sleep(61 - time.time() % 60)  # the limit counts per wall-clock minute
        try:
            body = response.json()
        except ValueError:
            body = None
        if not response.ok or not isinstance(body, dict):
            raise LiveError(f"the card issuer refused {method} {path}: {response.status_code} "
                            f"{response.text[:200]}")  # fmt: skip
        return body

    def cards(self) -> list[dict]:
        return self.call("GET", "/api/cards")["cards"]

    def issue(self, holder: str, pin: str) -> str:
        body = {"holder": holder, "pin": pin}
        return self.call("POST", "/api/cards", ISSUE_TIMEOUT, json=body)["serial"]

    def authorise_reset(self, serial: str) -> str:
        """A reset authorisation after the (simulated) identity check: the one-time code."""
        body = {"identity_checked": True}
        return self.call("POST", f"/api/cards/{serial}/reset-authorisations", json=body)["code"]


@dataclass
class Report:
    """What preparing the pool did, for the command to print."""

    ready: int = 0
    restored: int = 0
    issued: int = 0
    dropped: int = 0


class CardPool:
    """The cards file, the serials handed to the run in progress, and the live parts behind."""

    def __init__(self, folder: Path, api: OperatorApi, reader_url: str) -> None:
        self.path = folder / "cards.json"
        self.checked_out_path = folder / "cards-checked-out.json"
        self.api, self.reader_url = api, reader_url.rstrip("/")
        self.browser = Browser(OPERATOR_ADDRESS)
        self.report = Report()
        self.given: list[str] = []

    def load(self) -> list[IdCard]:
        return cards_from_file(self.path) if self.path.exists() else []

    def save(self, cards: list[IdCard]) -> None:
        rows = [{"serial": c.serial, "pin": c.pin, "person": c.person} for c in cards]
        self.path.touch(mode=0o600)
        self.path.write_text(json.dumps(rows, indent=1))

    def prepare(self, need: int, holders: Callable[[int], list[dict]]) -> list[IdCard]:
        """At least `need` cards with full tries and known PINs.

        `holders(n)` makes sure the first n synthetic holders exist and lists them."""
        issued = {c["serial"]: c for c in self.api.cards()}
        states = bridge_states(self.browser, self.reader_url)
        unknown = set(self._checked_out())  # PINs a run may have changed without checking in
        stored = self.load()
        cards = [
            c for c in stored if issued.get(c.serial, {}).get("status") == "active" and
            c.serial in states
        ]  # fmt: skip
        self.report = Report(dropped=len(stored) - len(cards))
        ready = [c for c in cards if c.serial not in unknown and states[c.serial] == FULL_TRIES]
        for index, card in enumerate(cards):
            if len(ready) >= need:
                break
            if card not in ready:
                cards[index] = self._restore(card)
                ready.append(cards[index])
                unknown.discard(card.serial)
                self.report.restored += 1
                self.save(cards)
        missing = need - len(ready)
        for card in self._issue(missing, holders, {c["holder"] for c in issued.values()}):
            cards.append(card)
            ready.append(card)
            self.report.issued += 1
            self.save(cards)
        self.save(cards)
        self.report.ready = len(ready)
        self.given = [c.serial for c in ready]
        self._write_checked_out(unknown | set(self.given))
        return ready

    def check_in(self, pins: dict[str, str]) -> None:
        """After a run: the PIN each card has now; the cards given to the run are known again."""
        self.save([replace(c, pin=pins.get(c.serial, c.pin)) for c in self.load()])
        self._write_checked_out(set(self._checked_out()) - set(self.given))

    def _write_checked_out(self, serials: set[str]) -> None:
        if serials:
            self.checked_out_path.write_text(json.dumps(sorted(serials)))
        else:
            self.checked_out_path.unlink(missing_ok=True)

    def _checked_out(self) -> list[str]:
        try:
            return json.loads(self.checked_out_path.read_text())
        except (OSError, ValueError):
            return []

    def _restore(self, card: IdCard) -> IdCard:
        pin = new_pin()
        code = self.api.authorise_reset(card.serial)
        unblock_at_bridge(self.browser, self.reader_url, card.serial, code, pin)
        return replace(card, pin=pin)

    def _issue(self, count: int, holders, taken: set[str]):
        """Cards for the first `count` synthetic holders who have none yet."""
        if count <= 0:
            return
        # Holders with cards (earlier runs', the demo's own) come first: seed past them at once.
        seeded, free = len(taken), list[dict]()
        while len(free) < count:
            seeded += count - len(free)
            free = [h for h in holders(seeded) if h["eid"] not in taken]
        for holder in free[:count]:
            pin = new_pin()
            yield IdCard(self.api.issue(holder["eid"], pin), pin, holder["national_id"])
