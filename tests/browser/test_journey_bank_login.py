"""Journey: a citizen logs in with their bank, through Silta, into a service; axe on every page.

Into the Tax Administration when the demo runs the services (the citizen sees their national
identity number there), otherwise into the broker's own "My data" page. The same start runs in
Finnish and Japanese, switched from the page's language menu.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bank_mock import totp

BIN = Path(sys.executable).parent
HEADINGS = {"fi": "Omat tiedot", "ja": "わたしの情報"}  # "My data"


def aurora_customer(demo) -> dict:
    """Aino Virtanen at Aurora Bank, as the bank's own command lists her."""
    env = {
        **os.environ,
        "BANK_INSTANCE_PATH": str(demo.root / "bank-aurora"),
        "BANK_ISSUER": demo.layout.bank_url(0),
    }
    listing = subprocess.run(
        [str(BIN / "silta-bank"), "customers", "--bank", "aurora", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(listing.stdout)[0]


def log_in_at_aurora(page, axe, demo) -> None:
    """From the broker's method choice through the bank's three screens."""
    axe(page, "method choice")
    page.locator("a.method", has_text="Aurora Bank").click()
    page.wait_for_url(demo.layout.bank_url(0) + "/**")
    axe(page, "bank login")
    aino = aurora_customer(demo)
    page.locator("#customer_number").fill(aino["customer_number"])
    page.locator("#password").fill(aino["password"])
    page.locator("button[type=submit].primary").click()
    axe(page, "bank one-time code")
    page.locator("#code").fill(totp.code_at(base64.b32decode(aino["totp_secret"])))
    page.locator("button[type=submit].primary").click()
    axe(page, "bank release")
    page.locator("button[name=decision][value=continue]").click()
    page.wait_for_url(demo.layout.broker_url + "/**")


def test_bank_login_into_a_service_in_english(page, demo, axe):
    if "tax" in demo.processes():
        page.goto(demo.layout.service_url(0))
        axe(page, "tax home")
        page.locator('a[href="/login"]').first.click()
        log_in_at_aurora(page, axe, demo)
        assert page.url.startswith(demo.layout.broker_url)
        axe(page, "consent")
        page.locator("button[name=decision][value=allow]").click()
        page.wait_for_url(demo.layout.service_url(0) + "/**")
        axe(page, "tax record")
        assert "010170-999R" in page.locator(".national-id").inner_text()
    else:
        page.goto(demo.layout.broker_url + "/account/")
        axe(page, "my data login")
        page.locator('main form[action$="/account/login"] button').click()
        log_in_at_aurora(page, axe, demo)
        page.wait_for_url(demo.layout.broker_url + "/account/**")
        axe(page, "my data")
    assert "Aino Virtanen" in page.content()
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("lang", ["fi", "ja"])
def test_the_same_start_in_finnish_and_japanese(page, demo, axe, lang):
    page.goto(demo.layout.broker_url + "/account/")
    page.locator(f'nav a[hreflang="{lang}"]').click()
    assert page.locator("html").get_attribute("lang") == lang
    assert HEADINGS[lang] in page.locator("h1").inner_text()
    axe(page, f"my data login {lang}")
    page.locator('main form[action$="/account/login"] button').click()
    assert page.locator("html").get_attribute("lang") == lang
    axe(page, f"method choice {lang}")
    page.locator("a.method", has_text="Aurora").click()
    page.wait_for_url(demo.layout.bank_url(0) + "/**")
    assert page.locator("html").get_attribute("lang") == lang  # the bank follows ui_locales
    axe(page, f"bank login {lang}")
