"""Security headers on every page a citizen sees, and error pages without internals."""

from __future__ import annotations

import logging
import re
import time

import pytest

from idp.extensions import db
from idp.interaction import views as interaction_views
from idp.storage.models import Interaction
from idp.web import headers


def method_choice(flow, clean):
    flow.authorize()
    return flow.method_choice()


def dev_login(flow, clean):
    flow.authorize()
    return flow.browser.get(f"{flow.interaction}/method/dev/")


def consent(flow, clean):
    flow.authorize()
    flow.login()
    flow.resume()
    return flow.consent_page()


def cancelled_notice(flow, clean):
    flow.authorize()
    flow.login(cancel=True)
    return flow.browser.get(f"{flow.interaction}?notice=cancelled")


def account_logged_in(flow, clean):
    flow.code_flow()
    return flow.browser.get("/account/")


def foreign_interaction(flow, clean):
    flow.authorize()
    return clean.test_client().get(flow.interaction)


def expired_interaction(flow, clean):
    flow.authorize()
    with clean.app_context():
        db.session.execute(db.update(Interaction).values(expires_at=int(time.time()) - 1))
        db.session.commit()
    return flow.resume()


def unknown_client(flow, clean):
    return flow.browser.get("/authorize", query_string={"client_id": "nobody", "scope": "openid"})


def unregistered_redirect_uri(flow, clean):
    return flow.authorize(redirect_uri="https://evil.example/cb")


def failed_login(flow, clean):
    flow.authorize()
    return flow.login(national_id="")


def logout_confirmation(flow, clean):
    flow.code_flow()
    return flow.browser.get("/logout")


PAGES = {
    "home": (lambda flow, clean: flow.browser.get("/"), 200),
    "account": (lambda flow, clean: flow.browser.get("/account/"), 200),
    "account-logged-in": (account_logged_in, 200),
    "method-choice": (method_choice, 200),
    "dev-login": (dev_login, 200),
    "consent": (consent, 200),
    "cancelled-notice": (cancelled_notice, 200),
    "logout-confirmation": (logout_confirmation, 200),
    "not-found": (lambda flow, clean: flow.browser.get("/no/such/page"), 404),
    "foreign-interaction": (foreign_interaction, 403),
    "expired-interaction": (expired_interaction, 410),
    "unknown-client": (unknown_client, 400),
    "unregistered-redirect-uri": (unregistered_redirect_uri, 400),
    "failed-login": (failed_login, 400),
    "csrf": (lambda flow, clean: flow.browser.post("/account/login"), 400),
}


def assert_security_headers(response):
    headers = response.headers
    assert response.mimetype == "text/html"
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in headers["Cache-Control"]


@pytest.mark.parametrize(("make", "status"), PAGES.values(), ids=PAGES.keys())
def test_every_html_page_sends_the_security_headers(flow, clean, make, status):
    response = make(flow, clean)
    assert response.status_code == status
    assert_security_headers(response)


ERRORS = {k: v for k, v in PAGES.items() if v[1] >= 400}


@pytest.mark.parametrize(("make", "status"), ERRORS.values(), ids=ERRORS.keys())
def test_error_pages_show_an_error_id_and_code(flow, clean, make, status):
    html = make(flow, clean).get_data(as_text=True)
    assert re.search(r'<p class="error-id">.*<code>[\w-]{6,}</code>', html)
    assert re.search(r'<p class="code">.*<code>\w+</code>', html)
    assert "Traceback" not in html


def test_an_unexpected_exception_is_a_500_page_with_an_error_id_and_no_internals(
    flow, monkeypatch, caplog
):
    def broken(ia):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(interaction_views.service, "login_context", broken)
    flow.authorize()
    with caplog.at_level(logging.ERROR, logger="silta.errors"):
        response = flow.method_choice()
    assert response.status_code == 500
    assert_security_headers(response)
    html = response.get_data(as_text=True)
    error_id = re.search(r'<p class="error-id">.*?<code>([\w-]+)</code>', html, re.S).group(1)
    assert "<code>server_error</code>" in html
    assert "Something went wrong on our side." in html
    for internal in ("Traceback", "RuntimeError", "hunter2", "login_context", ".py"):
        assert internal not in html
    # The same id is in the log, with the stack trace, for the operator.
    logged = [r for r in caplog.records if getattr(r, "error_id", None) == error_id]
    assert logged and logged[0].exc_info is not None


def test_json_endpoints_carry_nosniff_too(browser):
    response = browser.get("/.well-known/openid-configuration")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_answers_without_a_script_carry_the_policy_content_security_policy_builds(clean):
    with clean.test_request_context("/token"):
        assert headers.content_security_policy() == headers.NO_SCRIPT_POLICY
    response = clean.test_client().get("/.well-known/openid-configuration")
    assert response.headers["Content-Security-Policy"] == headers.NO_SCRIPT_POLICY
