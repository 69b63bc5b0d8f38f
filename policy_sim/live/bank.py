"""The bank leg: from the broker's method choice through a real bank login and release screen.

The bank's screens (bank_mock README, "Screens"): customer number and password, then the
six-digit key code (RFC 6238), judged together; a wrong part returns to the first screen; then
the bank's own release screen, where "continue" sends the code back to the broker.
"""

from __future__ import annotations

from .accounts import BankAccount
from .browser import Browser
from .browser import LiveError
from .browser import Page

MAX_ROUNDS = 3  # a citizen who mistypes retries; the bank locks only after MAX_FAILURES (5)


def wrong_code(code: str) -> str:
    """A six-digit code that is certainly not `code`: one digit off, as a slip of the finger."""
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def choose_bank(browser: Browser, choice: Page, bank: str) -> Page:
    """Follow the method choice link of the citizen's bank (/method/bank-<id>/)."""
    marker = f"/method/bank-{bank}/"
    link = next((href for href in choice.links() if marker in href), None)
    if link is None:
        raise LiveError(f"the broker's method choice at {choice.url} offers no {bank} login")
    return browser.get(link)


def log_in(browser: Browser, choice: Page, account: BankAccount, typo: bool) -> tuple[Page, bool]:
    """Log in at the bank and release; returns the page after the bank and whether it let in."""
    page = choose_bank(browser, choice, account.bank)
    for attempt in range(MAX_ROUNDS):
        form = page.form("customer_number")
        page = browser.submit(
            form, customer_number=account.customer_number, password=account.password
        )
        if "code" not in _field_names(page):
            return page, False  # locked or rate-limited before the code (403/429 page)
        code = account.key_code()
        page = browser.submit(
            page.form("code"), code=wrong_code(code) if typo and not attempt else code
        )
        release = _decision_form(page)
        if release is not None:
            return browser.submit(release, button=("decision", "continue")), True
        if "customer_number" not in _field_names(page):
            return page, False
    return page, False


def _field_names(page: Page) -> set[str]:
    return {name for form in page.forms() for name in form.fields}


def _decision_form(page: Page):
    for form in page.forms():
        if ("decision", "continue") in form.buttons:
            return form
    return None
