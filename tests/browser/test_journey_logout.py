"""Journey: logged in to two services with one Silta login, the citizen logs out of one; Silta's
session ends (the next login asks for the method again; cancelling there returns to the service)
and the other service's session is ended by back-channel logout.
"""

from __future__ import annotations

from tests.browser.pages import back_at_service
from tests.browser.pages import bank_customer
from tests.browser.pages import bank_login
from tests.browser.pages import consent
from tests.browser.pages import logged_in_at_service
from tests.browser.pages import method_choice
from tests.browser.pages import open_service
from tests.browser.pages import service_url

ILMARI = "Ilmari Lehtonen"


def test_logout_at_one_service_ends_silta_and_the_other_service(tab):
    open_service(tab, "tax")
    bank_login(tab, bank_customer(tab.demo, "aurora", ILMARI))
    consent(tab)
    back_at_service(tab, "tax")
    open_service(tab, "library")
    consent(tab, step="library consent, no second login")  # single sign-on
    back_at_service(tab, "library")
    assert logged_in_at_service(tab)

    tab.page.goto(service_url(tab.demo, "tax"))
    tab.page.locator("form.logout button").click()
    tab.page.wait_for_url("**/logged-out?*")
    tab.visit("logged out of tax")
    assert "You have logged out of this service and of Silta." in tab.main_text

    tab.page.goto(service_url(tab.demo, "library"))
    tab.visit("library after the logout")
    assert not logged_in_at_service(tab)
    tab.page.locator('main a[href="/login"]').click()
    assert "bank-aurora" in method_choice(tab, "Silta asks for the method again")

    tab.page.get_by_role("button", name="Cancel and return to the service").click()
    back_at_service(tab, "library", "library after cancelling at Silta")
    assert "You cancelled" in tab.page.locator("main [role=alert]").inner_text()
