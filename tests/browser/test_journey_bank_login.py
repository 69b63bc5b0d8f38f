"""Journey: a citizen logs in with their bank, through Silta, into the Tax Administration and sees
their national identity number there; axe on every page. The same start runs in Finnish and
Japanese, switched from the page's language menu.
"""

from __future__ import annotations

import pytest

from tests.browser.pages import back_at_service
from tests.browser.pages import bank_customer
from tests.browser.pages import bank_login
from tests.browser.pages import consent
from tests.browser.pages import method_choice
from tests.browser.pages import open_service

AINO, ONNI = "Aino Virtanen", "Onni Koskinen"
HEADINGS = {"fi": "Omat tiedot", "ja": "わたしの情報"}  # "My data"


def test_bank_login_into_the_tax_administration(tab):
    aino = bank_customer(tab.demo, "aurora", AINO)
    open_service(tab, "tax")
    bank_login(tab, aino)
    consent(tab)
    back_at_service(tab, "tax", "tax record")
    assert aino.hetu == "010170-999R"
    assert aino.hetu in tab.page.locator(".national-id").inner_text()
    assert AINO in tab.main_text
    assert tab.lang == "en"


@pytest.mark.parametrize("lang", ["fi", "ja"])
def test_the_same_start_in_finnish_and_japanese(tab, lang):
    tab.page.goto(tab.demo.layout.broker_url + "/account/")
    tab.page.locator(f'nav a[hreflang="{lang}"]').click()
    assert tab.lang == lang
    assert HEADINGS[lang] in tab.page.locator("h1").inner_text()
    tab.visit(f"my data login {lang}")
    tab.page.locator('main form[action$="/account/login"] button').click()
    assert tab.lang == lang
    method_choice(tab, f"method choice {lang}")
    tab.page.locator('a.method[href*="/method/bank-aurora/"]').click()
    tab.page.wait_for_url(tab.demo.layout.bank_url(0) + "/**")
    assert tab.lang == lang  # the bank follows ui_locales
    tab.visit(f"bank login {lang}")


def test_a_returning_citizen_with_a_remembered_consent_logs_in_with_the_bank(tab):
    onni = bank_customer(tab.demo, "kide", ONNI)
    open_service(tab, "library")
    bank_login(tab, onni)
    consent(tab, remember=True)
    back_at_service(tab, "library")
    tab.page.locator("form.logout button").click()
    tab.page.wait_for_url("**/logged-out*")
    tab.page.locator('main a[href="/login"]').click()
    # The bank's form-action CSP would block a redirect chain ending at the service: Silta's
    # callback ends the bank's navigation with its own page, which then continues.
    bank_login(tab, onni)
    back_at_service(tab, "library", "library, logged in again without consent")
