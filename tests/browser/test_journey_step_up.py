"""Journey: logged in to Municipal services with a bank (substantial), the citizen changes their
address, which needs the ID card (high): the service sends them to Silta for a step-up that
offers only the card, and they stay logged in at the service throughout.
"""

from __future__ import annotations

from tests.browser.pages import back_at_service
from tests.browser.pages import bank_customer
from tests.browser.pages import bank_login
from tests.browser.pages import card_pin
from tests.browser.pages import consent
from tests.browser.pages import logged_in_at_service
from tests.browser.pages import method_choice
from tests.browser.pages import open_service
from tests.browser.pages import present_card
from tests.browser.pages import received

AINO = "Aino Virtanen"
LOA2, LOA3 = "http://ftn.ficora.fi/2017/loa2", "http://ftn.ficora.fi/2017/loa3"


def test_step_up_from_bank_to_card_to_change_the_address(tab):
    open_service(tab, "municipal")
    bank_login(tab, bank_customer(tab.demo, "kide", AINO))
    consent(tab, remember=True)
    back_at_service(tab, "municipal")
    before = received(tab)
    assert LOA2 in before["acr"]

    tab.page.locator('main a[href="/address"]').click()
    tab.visit("address needs the card")
    assert tab.page.locator('form[action="/address"]').count() == 0
    tab.page.locator("form.step-up button").click()
    assert method_choice(tab, "step-up method choice") == ["id-card"]
    assert "needs a stronger identification" in tab.main_text
    tab.page.locator('a.method[href*="/method/id-card/"]').click()
    present_card(tab, AINO, card_pin(AINO))

    back_at_service(tab, "municipal", "address after the step-up")
    assert logged_in_at_service(tab)
    tab.page.locator("#street").fill("Mannerheimintie 5 A 7")
    tab.page.locator("#postal_code").fill("00100")
    tab.page.locator("#city").fill("Helsinki")
    tab.page.locator('form[action="/address"] button[type=submit]').click()
    tab.page.wait_for_url("**/address?changed=1")
    tab.visit("address changed")
    address = tab.page.locator(".current-address").inner_text()
    assert "Mannerheimintie 5 A 7, 00100 Helsinki" in address

    tab.page.locator("header a.service-name").click()
    tab.visit("municipal after the step-up")
    after = received(tab)
    assert after["sub"] == before["sub"]  # the same citizen, never logged out in between
    assert LOA3 in after["acr"] and after["amr"] == "sc, pin, hwk"
