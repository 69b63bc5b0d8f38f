"""The citizen's screens: release text, cancel, languages, CSRF, headers, cookies, logs."""

from __future__ import annotations

import logging
import re

import pytest

from .support import ISSUER
from .support import account
from .support import current_code
from .support import query_of
from .support import valid_codes
from .support import wrong_code


def test_the_release_screen_names_the_service_and_the_data(flow):
    flow.start(ftn_spname="Kela <benefits>")
    flow.log_in(account("aurora"))
    page = flow.page(f"/login/{flow.uid}/release").get_data(as_text=True)
    assert (
        "Identify yourself to Kela &lt;benefits&gt;. We will forward: name, personal identity code."
        in page
    )
    assert 'value="cancel"' in page and 'value="continue"' in page


def test_cancel_at_the_release_screen_returns_access_denied(flow, bank):
    flow.start()
    flow.log_in(account("aurora"))
    response = flow.release("cancel")
    params = query_of(response.location)
    assert (params["error"], params["state"], params["iss"]) == (
        "access_denied",
        flow.state,
        ISSUER,
    )
    assert flow.page(f"/login/{flow.uid}/release").status_code == 410  # finished for good


def test_cancel_from_the_first_screen_returns_access_denied(flow):
    flow.start()
    flow.page(f"/login/{flow.uid}")
    response = flow.cancel()
    assert query_of(response.location)["error"] == "access_denied"


def test_a_finished_login_cannot_be_answered_twice(flow):
    flow.start()
    flow.log_in(account("aurora"))
    flow.page(f"/login/{flow.uid}/release")
    assert flow.release("continue").status_code == 302
    again = flow.browser.post(
        f"/login/{flow.uid}/release", data={"csrf_token": flow.csrf, "decision": "continue"}
    )
    assert again.status_code == 410


def test_screens_follow_the_steps(flow):
    flow.start()
    assert flow.page(f"/login/{flow.uid}/code").status_code == 410
    assert flow.page(f"/login/{flow.uid}/release").status_code == 410


def test_the_login_belongs_to_the_browser_that_started_it(flow, bank):
    flow.start()
    stranger = bank.test_client()
    assert stranger.get(f"/login/{flow.uid}").status_code == 410


def test_forms_need_their_csrf_token(flow):
    flow.start()
    aino = account("aurora")
    response = flow.browser.post(
        f"/login/{flow.uid}",
        data={"customer_number": aino.customer_number, "password": aino.password},
    )
    assert response.status_code == 400
    assert "<code>csrf</code>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("ui_locales", "accept_language", "lang", "heading"),
    [
        ("fi", None, "fi", "Tunnistaudu"),
        ("sv fi-FI", None, "fi", "Tunnistaudu"),
        (None, "fi-FI,fi;q=0.9", "fi", "Tunnistaudu"),
        ("ja", "fi", "ja", "本人確認"),
        (None, None, "en", "Identify yourself"),
    ],
)
def test_language_from_ui_locales_then_the_browser(
    flow, ui_locales, accept_language, lang, heading
):
    flow.start(ui_locales=ui_locales)
    headers = {"Accept-Language": accept_language} if accept_language else {}
    page = flow.browser.get(f"/login/{flow.uid}", headers=headers).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{heading}</h1>" in page


def test_security_headers_and_cookie(flow):
    flow.start()
    response = flow.page(f"/login/{flow.uid}")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'none'" in csp
    assert "form-action 'self' http://127.0.0.1:8400" in csp  # the post may answer the client
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = flow.browser.get_cookie("bank_aurora")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_password_and_key_code_never_reach_the_logs(flow, caplog):
    caplog.set_level(logging.DEBUG)
    aino = account("aurora")
    flow.start()
    flow.login(aino.customer_number, "a-wrong-password-41")
    wrong = wrong_code(aino)
    flow.enter_code(wrong)
    codes = valid_codes(aino)
    flow.log_in(aino)
    flow.release("continue")
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for secret in (aino.password, "a-wrong-password-41", *codes, wrong):
        assert secret not in logged


def test_each_bank_has_its_own_branding(make_bank, broker_keys):
    for bank_id, name in [("kide", "Kide Bank"), ("revontuli", "Revontuli Savings Bank")]:
        app = make_bank(bank_id)
        browser = app.test_client()
        logo = browser.get("/logo.svg")
        assert logo.mimetype == "image/svg+xml"
        assert f'<title id="logo-title">{name}</title>' in logo.get_data(as_text=True)
        assert f'class="bank-{bank_id}"' in browser.get("/").get_data(as_text=True)


def test_the_demo_key_code_page_only_in_demo(make_bank, broker_keys):
    hidden = make_bank()
    assert hidden.test_client().get("/demo/key-codes").status_code == 404
    shown = make_bank(DEMO_PAGES=True)
    page = shown.test_client().get("/demo/key-codes").get_data(as_text=True)
    aino = account("aurora")
    assert aino.customer_number in page
    assert valid_codes(aino) & set(re.findall(r"<code>(\d{6})</code>", page))


def test_another_banks_customer_cannot_log_in_here(flow):
    flow.start()
    kide_only = account("kide", index=1)  # Helmi banks at Kide only
    flow.login(kide_only.customer_number, kide_only.password)
    response = flow.enter_code(current_code(kide_only))
    assert "do not match" in response.get_data(as_text=True)
