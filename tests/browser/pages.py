"""Page helpers: each does one step of a citizen's journey and checks every page it lands on.

A journey reads as a few lines (``open_service(tab, "municipal")``, ``card_login(tab, holder,
pin)``, ``consent(tab)``). Every page a helper reaches is checked with axe and screenshotted
(``Tab.visit``, conftest.py) before the helper acts on it. The demo's people come from the demo
itself: bank customers as each bank's own command lists them, card PINs from the demo's seed.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bank_mock import totp
from federation.layout import BANKS
from federation.layout import SERVICES
from federation.seed import CARD_HOLDERS
from federation.setup import DESK_OFFICIAL
from tests.support.demo import DemoRun

if TYPE_CHECKING:
    from playwright.sync_api import Page

BIN = Path(sys.executable).parent
SERVICE_INDEX = {service_id: i for i, (service_id, _name) in enumerate(SERVICES)}
BANK_INDEX = {bank_id: i for i, (bank_id, _name) in enumerate(BANKS)}


@dataclass(frozen=True)
class Tab:
    """One browser tab of a journey: the page, the axe check (with screenshot), the demo."""

    page: Page
    check: Callable[[Page, str], None]
    demo: DemoRun

    def visit(self, step: str) -> None:
        """Check the page the tab shows now (axe, screenshot) under a step name."""
        self.page.wait_for_load_state()
        self.check(self.page, step)

    def beside(self, page: Page) -> Tab:
        """Another tab or window of the same browser (a popup, a second tab)."""
        return Tab(page, self.check, self.demo)

    @property
    def lang(self) -> str | None:
        return self.page.locator("html").get_attribute("lang")

    @property
    def main_text(self) -> str:
        return self.page.locator("main").inner_text()


@dataclass(frozen=True)
class BankCustomer:
    """A demo bank's customer as the bank lists them (the key code is computed when needed)."""

    bank_id: str
    name: str
    customer_number: str
    password: str
    totp_secret: str
    hetu: str


# -- the demo's parts and people -------------------------------------------------------------------
def service_url(demo: DemoRun, service_id: str) -> str:
    """A demo service's origin (`tax`, `benefits`, `municipal`, `library`)."""
    return demo.layout.service_url(SERVICE_INDEX[service_id])


def card_pin(holder: str) -> str:
    """A demo card's initial PIN, as the demo printed it (federation/seed.py)."""
    return next(pin for _eid, name, pin in CARD_HOLDERS if name == holder)


def bank_customer(demo: DemoRun, bank_id: str, name: str) -> BankCustomer:
    """The named customer of a demo bank."""
    found = next(c for c in _customers(str(demo.root), demo.offset, bank_id) if c["name"] == name)
    keys = ("customer_number", "password", "totp_secret", "hetu")
    return BankCustomer(bank_id, name, *(found[k] for k in keys))


@cache
def _customers(root: str, offset: int, bank_id: str) -> list[dict]:
    """A bank's customers (once per demo and bank)."""
    return DemoRun(Path(root), offset).bank_customers(bank_id)


def issuer_secrets(demo: DemoRun) -> dict[str, str]:
    """The card authority's demo secrets (operator API key, desk password)."""
    return json.loads((demo.root / "card-issuer" / "demo-secrets.json").read_text())


def silta_card(demo: DemoRun, *args: str, stdin: str | None = None) -> str:
    """`silta card …` against the demo's issuing authority, as an operator runs it."""
    env = {
        **os.environ,
        "SILTA_CARD_ISSUER_URL": demo.layout.issuer_url,
        "SILTA_CARD_OPERATOR_SECRET": issuer_secrets(demo)["OPERATOR_API_KEY"],
    }
    done = subprocess.run(
        [str(BIN / "silta"), "card", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr or done.stdout
    return done.stdout


def issue_card(demo: DemoRun, eid: str, pin: str) -> str:
    """Issue a card to a holder with `silta card issue`; its serial."""
    issued = silta_card(demo, "issue", "--holder", eid, "--pin-stdin", stdin=pin + "\n")
    return re.search(r"Issued card (\d{10})", issued).group(1)


# -- a service -------------------------------------------------------------------------------------
def open_service(tab: Tab, service_id: str, lang: str | None = None) -> None:
    """Open a service's home page and press its login button: the browser goes to Silta."""
    url = service_url(tab.demo, service_id) + (f"/?lang={lang}" if lang else "/")
    tab.page.goto(url)
    tab.visit(f"{service_id} home")
    tab.page.locator('main a[href="/login"]').click()
    tab.page.wait_for_url(tab.demo.layout.broker_url + "/**")


def back_at_service(tab: Tab, service_id: str, step: str = "") -> None:
    """The browser is back at the service: check the page it shows."""
    tab.page.wait_for_url(service_url(tab.demo, service_id) + "/**")
    tab.visit(step or f"{service_id} after login")


def received(tab: Tab) -> dict[str, str]:
    """What the service's home page says it received: claim name → the value shown."""
    rows = tab.page.locator("section.received tr[data-claim]")
    return {
        rows.nth(i).get_attribute("data-claim"): rows.nth(i).locator("td").inner_text().strip()
        for i in range(rows.count())
    }


def logged_in_at_service(tab: Tab) -> bool:
    """Whether the service's page shows a logged-in citizen (its logout button)."""
    return tab.page.locator("form.logout").count() == 1


# -- Silta: the method choice, the card, consent ---------------------------------------------------
def method_choice(tab: Tab, step: str = "method choice") -> list[str]:
    """Check the broker's method choice; the names of the methods it offers."""
    tab.page.wait_for_url(re.compile(r"/interaction/[^/]+(\?.*)?$"))
    tab.visit(step)
    links = tab.page.locator("a.method")
    return [
        re.search(r"/method/([^/]+)/", links.nth(i).get_attribute("href")).group(1)
        for i in range(links.count())
    ]


def choose_method(tab: Tab, method: str) -> None:
    """At the method choice, pick a method by its registry name (`bank-aurora`, `id-card`)."""
    assert method in method_choice(tab)
    tab.page.locator(f'a.method[href*="/method/{method}/"]').click()


def bank_login(tab: Tab, customer: BankCustomer) -> None:
    """From the method choice through the bank's login, key code and release screens."""
    choose_method(tab, f"bank-{customer.bank_id}")
    bank = tab.demo.layout.bank_url(BANK_INDEX[customer.bank_id])
    tab.page.wait_for_url(bank + "/**")
    tab.visit("bank login")
    tab.page.locator("#customer_number").fill(customer.customer_number)
    tab.page.locator("#password").fill(customer.password)
    tab.page.locator("button[type=submit].primary").click()
    tab.visit("bank key code")
    code = totp.code_at(base64.b32decode(customer.totp_secret))
    tab.page.locator("#code").fill(code)
    tab.page.locator("button[type=submit].primary").click()
    tab.visit("bank release")
    tab.page.locator("button[name=decision][value=continue]").click()
    # Back at Silta, or already beyond it: with a remembered consent, Silta's continue page
    # moves straight on to the service, sometimes before a wait for Silta's URL could see it.
    tab.page.wait_for_url(lambda url: not url.startswith(bank))


def open_reader(tab: Tab) -> Tab:
    """On Silta's card page, open the reader bridge's signing window; the popup's tab."""
    tab.page.wait_for_url("**/method/id-card/")
    tab.page.locator("#card-start").wait_for()  # the page found the bridge and a card
    tab.visit("card page")
    # ARCHITECTURE §1: no Silta page asks for the PIN; it is typed into the bridge's own window.
    assert tab.page.locator("main input:not([type=hidden])").count() == 0
    with tab.page.expect_popup() as opened:
        tab.page.locator("#card-start").click()
    bridge = tab.beside(opened.value)
    bridge.visit("reader bridge")
    return bridge


def type_pin(bridge: Tab, holder: str, pin: str) -> str:
    """In the bridge's window, choose the holder's card and type the PIN; the card's serial."""
    choice = bridge.page.locator("fieldset#card .choice", has_text=holder)
    serial = choice.locator("input[type=radio]").get_attribute("value")
    choice.locator("input[type=radio]").check()
    bridge.page.locator("#pin").fill(pin)
    bridge.page.locator('form[action$="/sign"] button[type=submit]').click()
    return serial


def present_card(tab: Tab, holder: str, pin: str) -> None:
    """From Silta's card page: the bridge's window opens, takes the PIN, closes; Silta goes on."""
    bridge = open_reader(tab)
    with tab.page.expect_navigation(), bridge.page.expect_event("close"):
        type_pin(bridge, holder, pin)


def card_login(tab: Tab, holder: str, pin: str) -> None:
    """From the method choice, identify with the holder's ID card and its PIN."""
    choose_method(tab, "id-card")
    present_card(tab, holder, pin)


def at_consent(tab: Tab, step: str = "consent") -> None:
    """The browser is at Silta's consent page: check it."""
    tab.page.wait_for_url("**/consent")
    tab.visit(step)


def consent(tab: Tab, *, remember: bool = False, step: str = "consent") -> None:
    """At Silta's consent page, allow passing the data (and remember the choice if asked)."""
    at_consent(tab, step)
    if remember:
        tab.page.locator("#remember").check()
    tab.page.locator("button[name=decision][value=allow]").click()
    tab.page.wait_for_url(lambda url: not url.startswith(tab.demo.layout.broker_url))


def decline(tab: Tab) -> None:
    """On Silta's consent page (checked with `at_consent`), decline: the service gets
    `access_denied`."""
    tab.page.locator("button[name=decision][value=deny]").click()
    tab.page.wait_for_url(lambda url: not url.startswith(tab.demo.layout.broker_url))


# -- the card authority's desk and the reader's unblock page ---------------------------------------
def desk_authorise_reset(official: Tab, serial: str) -> str:
    """The desk official logs in, checks the citizen in person, authorises a reset; the code."""
    official.page.goto(official.demo.layout.issuer_url + "/desk/login")
    official.visit("desk login")
    official.page.locator("#official_id").fill(DESK_OFFICIAL)
    official.page.locator("#password").fill(issuer_secrets(official.demo)["DESK_PASSWORD"])
    official.page.locator("main button[type=submit]").click()
    official.page.wait_for_url("**/desk/")
    official.visit("desk")
    fields = official.page.locator("main input:not([type=hidden])")
    # The official types the card's number and confirms the identity check: never a PIN.
    assert [fields.nth(i).get_attribute("id") for i in range(fields.count())] == [
        "card_serial",
        "identity_checked",
    ]
    official.page.locator("#card_serial").fill(serial)
    official.page.locator("#identity_checked").check()
    official.page.locator('main form[action$="/desk/"] button[type=submit]').click()
    official.visit("desk reset code")
    return official.page.locator("#reset-code").inner_text().strip()


def unblock(reader: Tab, holder: str, code: str, new_pin: str) -> None:
    """On the bridge's unblock page, the citizen types the reset code and a new PIN twice."""
    reader.visit("reader unblock")
    reader.page.locator("fieldset#card .choice", has_text=holder).locator("input").check()
    reader.page.locator("#code").fill(code)
    reader.page.locator("#new_pin").fill(new_pin)
    reader.page.locator("#new_pin_again").fill(new_pin)
    reader.page.locator('form[action$="/pin/unblock"] button[type=submit]').click()
    reader.visit("reader unblocked")
