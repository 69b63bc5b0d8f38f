"""Journey: a citizen applies for the Benefits Office's one-off payment, then submits again, from
a second tab holding the same form and with the back button: the one existing application is
shown every time, never a second one.
"""

from __future__ import annotations

import sqlite3

from tests.browser.pages import back_at_service
from tests.browser.pages import bank_customer
from tests.browser.pages import bank_login
from tests.browser.pages import consent
from tests.browser.pages import open_service
from tests.browser.pages import service_url

SIIRI = "Siiri Hämäläinen"


def applications(demo) -> int:
    """How many applications the Benefits Office holds (read from its own database)."""
    path = demo.root / "service-benefits" / "service.db"
    with sqlite3.connect(path) as database:
        return database.execute("SELECT count(*) FROM application").fetchone()[0]


def submit(tab, step: str, *, double_click: bool = False) -> str:
    """Submit the application form the tab shows; the number on the status page it leads to."""
    button = tab.page.locator('form[action="/application"] button[type=submit]')
    button.dblclick() if double_click else button.click()
    tab.page.wait_for_url("**/application/status")
    tab.visit(step)
    return shown_number(tab)


def shown_number(tab) -> str:
    return tab.page.locator("section.status").get_attribute("data-application-id")


def test_one_application_per_person_whatever_is_submitted_twice(tab):
    open_service(tab, "benefits")
    bank_login(tab, bank_customer(tab.demo, "kide", SIIRI))
    consent(tab)
    back_at_service(tab, "benefits")
    before = applications(tab.demo)

    tab.page.locator('nav a[href="/application"]').click()
    tab.visit("application form")
    second = tab.beside(tab.page.context.new_page())
    second.page.goto(service_url(tab.demo, "benefits") + "/application")
    second.visit("the same form in a second tab")

    number = submit(tab, "application received", double_click=True)
    assert submit(second, "the second tab's submission") == number

    tab.page.go_back()  # to the form: the page is asked for again (no-store) and shows the one
    tab.page.wait_for_url("**/application")
    tab.visit("back to the form")
    assert tab.page.locator('form[action="/application"]').count() == 0
    assert shown_number(tab) == number
    assert "You have one application. It cannot be sent twice." in tab.main_text
    assert applications(tab.demo) == before + 1
