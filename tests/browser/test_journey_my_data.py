"""Journey: after logging in to a service, the citizen opens "My data" at Silta, finds the release
to that service in the log, and withdraws the permission they had given; the next login to the
service (after logging out there) asks for their consent again.
"""

from __future__ import annotations

from tests.browser.pages import at_consent
from tests.browser.pages import back_at_service
from tests.browser.pages import bank_customer
from tests.browser.pages import bank_login
from tests.browser.pages import consent
from tests.browser.pages import open_service
from tests.browser.pages import service_url

JUHANI = "Juhani Mäkinen"
LIBRARY = "City Library"  # the service's name as registered at Silta
AGE_OVER_18 = "Whether you are 18 or older"


def test_my_data_shows_the_release_and_a_withdrawn_consent_is_asked_again(tab):
    open_service(tab, "library")
    bank_login(tab, bank_customer(tab.demo, "revontuli", JUHANI))
    consent(tab, remember=True)
    back_at_service(tab, "library")

    tab.page.goto(tab.demo.layout.broker_url + "/account/")
    tab.visit("my data")
    assert f"You are identified as {JUHANI}." in tab.main_text
    releases = tab.page.locator('table[aria-labelledby="releases"] tbody tr')
    assert releases.count() == 1
    cells = releases.locator("td")
    assert [cells.nth(i).inner_text() for i in (1, 3)] == [LIBRARY, "Revontuli Savings Bank"]
    assert AGE_OVER_18 in cells.nth(2).inner_text()
    assert "The log is intact" in tab.page.locator("p.chain").inner_text()

    tab.page.get_by_role("button", name=f"Withdraw permission from {LIBRARY}").click()
    tab.page.wait_for_url("**/account/")
    tab.visit("my data after withdrawing")
    assert "You have no remembered permissions." in tab.main_text
    assert releases.count() == 1  # the log keeps what was released

    tab.page.goto(service_url(tab.demo, "library"))
    tab.page.locator("form.logout button").click()  # the library still held its own login
    tab.page.wait_for_url("**/logged-out*")
    tab.visit("logged out of the library")
    tab.page.locator('main a[href="/login"]').click()
    bank_login(tab, bank_customer(tab.demo, "revontuli", JUHANI))
    at_consent(tab, "consent asked again")
    assert LIBRARY in tab.page.locator("h1").inner_text()
