"""A service's pages without a live broker: languages, headers, CSRF, login, sessions.

The broker here is the fake one (discovery and JWKS only); a login is put in place the way
the callback stores it, as a server-side session row behind the browser's cookie.
"""

from __future__ import annotations

import hashlib

import pytest

from relying_parties.extensions import db
from relying_parties.models import BrowserSession
from relying_parties.sessions import end_sessions
from tests.relying_parties.conftest import cookie_header
from tests.relying_parties.conftest import log_in
from tests.relying_parties.conftest import query_of
from tests.relying_parties.fake_broker import LOA2


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "Log in with Silta"), ("fi", "Kirjaudu Siltan kautta"), ("ja", "Silta でログイン")],
)
def test_the_start_page_speaks_three_languages_with_landmarks(service_app, lang, text):
    page = service_app.test_client().get(f"/?lang={lang}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert text in html
    assert '<a class="skip" href="#main">' in html and '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


def test_pages_deny_framing_and_scripts_and_keep_the_cookie_from_scripts(service_app):
    browser = service_app.test_client()
    page = browser.get("/?lang=fi")  # choosing a language starts a session
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src" not in policy
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("rp_library=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    with service_app.app_context():
        (row,) = db.session.execute(db.select(BrowserSession)).scalars()
    assert row.key_hash == hashlib.sha256(value.encode()).hexdigest()  # the key is not stored
    assert row.data == {"lang": "fi"}


def test_a_form_posted_without_its_csrf_token_is_refused(service_app):
    browser = service_app.test_client()
    log_in(service_app, browser)
    page = browser.post("/logout")
    assert page.status_code == 400
    assert "This form has expired" in page.get_data(as_text=True)


def test_healthz_answers(service_app):
    answer = service_app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "service": "library", "logged_in": False}


def test_login_sends_the_browser_to_the_broker_with_pkce_state_nonce_and_acr(
    service_app, fake_broker
):
    answer = service_app.test_client().get("/login?lang=fi")
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(fake_broker.url + "/authorize?")
    query = query_of(location)
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    assert query["acr_values"] == LOA2
    assert query["scope"] == "openid age"
    assert query["ui_locales"] == "fi"
    assert query["claims"] == '{"id_token":{"age_over_18":{"essential":true}}}'
    assert query["redirect_uri"] == "http://127.0.0.1:5999/callback"


def test_a_callback_naming_another_issuer_is_refused_before_anything_else(service_app):
    browser = service_app.test_client()
    state = query_of(browser.get("/login").headers["Location"])["state"]
    page = browser.get(f"/callback?code=abc&state={state}&iss=http://127.0.0.1:1")
    assert page.status_code == 400
    assert "wrong_issuer" in page.get_data(as_text=True)
    assert browser.get("/healthz").get_json()["logged_in"] is False


def test_a_declined_login_is_a_clear_page_with_a_way_to_try_again(service_app, fake_broker):
    browser = service_app.test_client()
    state = query_of(browser.get("/login").headers["Location"])["state"]
    page = browser.get(f"/callback?error=access_denied&state={state}&iss={fake_broker.url}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "declined to pass your data" in html
    assert '<a class="button primary" href="/login">Try again</a>' in html
    replay = browser.get(f"/callback?error=access_denied&state={state}&iss={fake_broker.url}")
    assert "state" in replay.get_data(as_text=True) and replay.status_code == 400  # used once


def test_the_sub_page_shows_this_service_sub_and_links_the_others(service_app):
    browser = service_app.test_client()
    log_in(service_app, browser, sub="library-sub-xyz")
    html = browser.get("/about-sub").get_data(as_text=True)
    assert 'data-sub="library-sub-xyz"' in html
    assert "http://127.0.0.1:8431/about-sub" in html and "http://127.0.0.1:8434" not in html


def test_a_session_ended_meanwhile_is_not_brought_back_by_a_request_in_flight(service_app):
    browser = service_app.test_client()
    log_in(service_app, browser)
    headers = cookie_header(service_app, browser)
    with service_app.test_request_context("/", headers=headers) as context:
        interface = service_app.session_interface
        opened = interface.open_session(service_app, context.request)
        assert opened["login"]["sub"] == "sub-1"
        assert end_sessions("sid-sub-1", None) == 1  # a back-channel logout, meanwhile
        opened["lang"] = "fi"  # the request in flight changes its session and saves it
        interface.save_session(service_app, opened, service_app.response_class())
        (row,) = db.session.execute(db.select(BrowserSession)).scalars()
        assert "login" not in row.data and row.sid is None and row.sub is None
    assert browser.get("/healthz").get_json()["logged_in"] is False
