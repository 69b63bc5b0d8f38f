"""Journey: a citizen logs in to Municipal services with their ID card, the PIN typed only into
the reader bridge's own window; and a revoked card is refused with a plain explanation.
"""

from __future__ import annotations

from tests.browser.pages import back_at_service
from tests.browser.pages import card_login
from tests.browser.pages import card_pin
from tests.browser.pages import consent
from tests.browser.pages import issue_card
from tests.browser.pages import method_choice
from tests.browser.pages import open_service
from tests.browser.pages import received
from tests.browser.pages import silta_card

MIKKO = "Mikko Korhonen"
KERTTU, KERTTU_EID = "Kerttu Järvinen", "100000006B"  # a demo holder without a seeded card
LOA3 = "http://ftn.ficora.fi/2017/loa3"


def test_card_login_into_municipal_services(tab):
    open_service(tab, "municipal")
    card_login(tab, MIKKO, card_pin(MIKKO))
    consent(tab)
    back_at_service(tab, "municipal")
    got = received(tab)
    assert (got["name"], got["birthdate"]) == (MIKKO, "1970-07-07")
    assert LOA3 in got["acr"]
    assert got["amr"] == "sc, pin, hwk"


def test_a_revoked_card_is_refused_with_a_plain_explanation(tab):
    serial = issue_card(tab.demo, KERTTU_EID, "1357")
    assert "revoked" in silta_card(tab.demo, "revoke", serial, "--lost")
    open_service(tab, "municipal")
    card_login(tab, KERTTU, "1357")
    tab.visit("revoked card refused")
    assert "This card has been revoked" in tab.main_text
    assert "identify yourself with your bank" in tab.main_text
    ways = tab.page.locator("main .actions a")
    assert ways.all_inner_texts() == ["Choose another way to identify yourself"]
    ways.click()
    assert "bank-aurora" in method_choice(tab, "back at the method choice")
