"""Journey: three wrong PINs lock the card; a desk official checks the citizen in person and
authorises a reset (never seeing or typing a PIN); the citizen unblocks the card in the reader
bridge with the one-time code and a new PIN of their own, and logs in with it.
"""

from __future__ import annotations

from tests.browser.pages import back_at_service
from tests.browser.pages import choose_method
from tests.browser.pages import consent
from tests.browser.pages import desk_authorise_reset
from tests.browser.pages import open_reader
from tests.browser.pages import open_service
from tests.browser.pages import present_card
from tests.browser.pages import received
from tests.browser.pages import type_pin
from tests.browser.pages import unblock

EERO = "Eero Laine"  # card PIN 9876 in the demo: never typed here
NEW_PIN = "4711"


def test_three_wrong_pins_lock_the_card_until_the_citizen_unblocks_it(tab, other_browser):
    open_service(tab, "municipal")
    choose_method(tab, "id-card")
    bridge = open_reader(tab)
    eero = bridge.page.locator("fieldset#card .choice", has_text=EERO)
    assert "3 of 3 tries left" in eero.inner_text()  # shown before the first try
    for wrong, left in (("0000", "2 tries"), ("1111", "1 try")):
        serial = type_pin(bridge, EERO, wrong)
        bridge.visit(f"wrong PIN, {left} left")
        assert f"The PIN is wrong. {left} left" in bridge.main_text
    with tab.page.expect_navigation():
        type_pin(bridge, EERO, "2222")
    bridge.visit("the bridge says the card is locked")
    assert "Your card is locked" in bridge.page.locator("h1").inner_text()
    bridge.page.close()
    tab.visit("Silta explains the locked card")
    assert "Your card's PIN is locked" in tab.main_text
    assert "visit a service desk" in tab.main_text

    official = other_browser()
    code = desk_authorise_reset(official, serial)

    with tab.page.expect_popup() as opened:
        tab.page.locator("main a", has_text="Unblock the PIN").click()
    reader = tab.beside(opened.value)
    unblock(reader, EERO, code, NEW_PIN)
    assert "Your card is unblocked" in reader.main_text
    reader.page.close()

    tab.page.locator("main a", has_text="Try again with the ID card").click()
    present_card(tab, EERO, NEW_PIN)
    consent(tab)
    back_at_service(tab, "municipal")
    assert received(tab)["name"] == EERO
