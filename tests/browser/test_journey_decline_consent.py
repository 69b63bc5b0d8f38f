"""Journey: the citizen identifies with their ID card, then declines at Silta's consent page;
the service says plainly that they declined and offers to try again. In English, Finnish and
Japanese: the language chosen at the service carries to Silta (`ui_locales`) and to the reader
bridge, and each page's `lang` says so.
"""

from __future__ import annotations

import pytest

from tests.browser.pages import at_consent
from tests.browser.pages import choose_method
from tests.browser.pages import decline
from tests.browser.pages import issue_card
from tests.browser.pages import open_reader
from tests.browser.pages import open_service
from tests.browser.pages import type_pin

HELMI, HELMI_EID, HELMI_PIN = "Helmi Nieminen", "100000003X", "4680"
TEXTS = {  # (consent heading, reader bridge heading, the service's "you declined")
    "en": ("Pass your data to", "Identify yourself with your ID card", "declined to pass"),
    "fi": ("Luovutetaanko tietosi", "Tunnistaudu henkilökortilla", "kieltäydyit välittämästä"),
    "ja": ("あなたの情報を提供しますか", "IDカードで本人確認", "情報の提供を拒否されました"),
}


@pytest.fixture(scope="module")
def helmi_card(demo) -> str:
    """A card for Helmi, issued by the operator for these journeys alone."""
    return issue_card(demo, HELMI_EID, HELMI_PIN)


@pytest.mark.parametrize("lang", TEXTS)
def test_declining_consent_shows_the_service_a_clear_no(tab, helmi_card, lang):
    consent_heading, bridge_heading, declined = TEXTS[lang]
    open_service(tab, "library", lang=lang)
    choose_method(tab, "id-card")
    bridge = open_reader(tab)
    assert tab.lang == bridge.lang == lang  # Silta's card page, and the bridge it opened
    assert bridge.page.locator("h1").inner_text() == bridge_heading
    with tab.page.expect_navigation(), bridge.page.expect_event("close"):
        assert type_pin(bridge, HELMI, HELMI_PIN) == helmi_card

    at_consent(tab, f"consent {lang}")
    assert tab.lang == lang
    assert consent_heading in tab.page.locator("h1").inner_text()
    decline(tab)
    tab.visit(f"library says you declined {lang}")
    assert tab.lang == lang
    assert declined in tab.page.locator("main [role=alert]").inner_text()

    tab.page.locator('main a[href="/login"]').click()  # try again: Silta asks once more
    at_consent(tab, f"consent again {lang}")
    assert tab.lang == lang
