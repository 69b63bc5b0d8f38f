"""The service side of a journey: the Benefits Office login, the broker's consent, the application.

Routes are the fixed Benefits Office contract: `GET /login` starts the broker login, the
broker returns to `/callback`, `GET /application` shows the form (hidden `csrf_token` and
`idempotency_key`), `POST /application` answers 303 to `/application/status`, which carries
`data-application-id` and `data-status` on one element.
"""

from __future__ import annotations

from .browser import Browser
from .browser import LiveError
from .browser import Page
from .browser import origin


class BenefitsOffice:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.origin = origin(self.base_url)

    def start_login(self, browser: Browser) -> Page:
        """From the service's login link to the broker's method choice page."""
        page = browser.get(self.base_url + "/login")
        if page.status != 200 or "/interaction/" not in page.url:
            raise LiveError(
                f"login at the service did not reach the broker ({page.status} {page.url})"
            )
        return page

    def back_at_service(self, page: Page) -> bool:
        return origin(page.url) == self.origin

    def consent(self, browser: Browser, page: Page) -> Page:
        """Allow at the broker's consent page if it is shown (OIDC Core §3.1.2.4)."""
        if self.back_at_service(page):
            return page
        for form in page.forms():
            if ("decision", "allow") in form.buttons:
                return browser.submit(form, button=("decision", "allow"))
        raise LiveError(f"expected the broker's consent page, got {page.status} at {page.url}")

    def apply(self, browser: Browser) -> tuple[str, str]:
        """Submit the application (or find the existing one); its number and status."""
        page = browser.get(self.base_url + "/application")
        if page.status != 200:
            raise LiveError(f"the application page answered {page.status} at {page.url}")
        if page.attribute("data-application-id") is None:
            form = page.form("idempotency_key")
            page = browser.submit(form)
        application_id = page.attribute("data-application-id")
        status = page.attribute("data-status")
        if not application_id or not status:
            raise LiveError(f"no application number on {page.url} ({page.status})")
        return application_id, status
