"""Make the docs' screenshots of a login: Silta's method choice and its consent page.

Run by hand from the project folder (it is not a test): it starts a demo of its own on free
ports, logs Aino Virtanen in to Municipal services with her bank in headless Chromium, and
writes ``docs/images/login-method-choice.png`` and ``docs/images/consent.png``::

    .venv/bin/python -m tests.browser.make_doc_screenshots
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.browser.chromium import launch
from tests.browser.pages import Tab
from tests.browser.pages import at_consent
from tests.browser.pages import bank_customer
from tests.browser.pages import bank_login
from tests.browser.pages import method_choice
from tests.browser.pages import open_service
from tests.support.demo import DemoRun
from tests.support.demo import free_offset

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
VIEWPORT = {"width": 1000, "height": 720}


def take(tab: Tab) -> None:
    """Through one login, saving the two pages the docs show."""
    open_service(tab, "municipal")
    method_choice(tab)
    tab.page.screenshot(path=str(IMAGES / "login-method-choice.png"))
    bank_login(tab, bank_customer(tab.demo, "aurora", "Aino Virtanen"))
    at_consent(tab)
    tab.page.screenshot(path=str(IMAGES / "consent.png"))


def main() -> None:
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "root"
        demo = DemoRun(root, free_offset(root)).start()
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                page = browser.new_page(locale="en-GB", viewport=VIEWPORT)
                take(Tab(page, lambda _page, _step: None, demo))
                browser.close()
        finally:
            demo.stop()
            demo.process.stdout.close()
    print(f"Wrote {IMAGES / 'login-method-choice.png'} and {IMAGES / 'consent.png'}.")


if __name__ == "__main__":
    main()
