"""RP-Initiated Logout 1.0.

§2: an ``id_token_hint`` must be one this OP issued (expired is fine) and, with ``client_id``,
issued to that client; §3: redirect only to a registered ``post_logout_redirect_uri``, with the
``state``; §4: after an error, no redirect at all; §6: without a valid hint, ask the citizen
first (here a CSRF-protected form). The conformance suite's ``oidcc-rp-initiated-logout*``.
"""

from __future__ import annotations

import secrets
import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from idp.oidc import keys
from idp.storage.models import LoginSession
from tests.support.checks import count
from tests.support.checks import error_page
from tests.support.checks import rows
from tests.support.flow import csrf_token
from tests.support.flow import query

ISSUER = "http://127.0.0.1:8400"
LOGGED_OUT = "https://tax.example/logged-out"


def live_sessions(app) -> int:
    return count(app, LoginSession, LoginSession.ended_at.is_(None))


def needs_login(flow) -> bool:
    """Whether a fresh /authorize for the same service would show the method choice."""
    flow.authorize()
    page = flow.resume()
    return page.status_code == 200 and "/method/dev/" in page.get_data(as_text=True)


def forged_hint(app, key=None, **claims) -> str:
    """An ID token hint signed by ``key``, or by the broker's own current RS256 key."""
    issued = int(time.time())
    body = dict(iss=ISSUER, aud="tax", sub="someone", iat=issued, exp=issued + 300)
    body.update(claims)
    if key is None:
        with app.app_context():
            key = keys.cache().signing_key("RS256")
    return jwt.encode({"alg": "RS256", "kid": key.kid}, body, key)


def test_logout_with_hint_redirects_to_the_registered_uri_with_state(flow, browser, app):
    tokens = flow.code_flow()
    state = secrets.token_urlsafe(8)
    response = browser.get(
        "/logout",
        query_string=dict(
            id_token_hint=tokens["id_token"], post_logout_redirect_uri=LOGGED_OUT, state=state
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(LOGGED_OUT + "?")
    assert query(response) == {"state": state}
    assert live_sessions(app) == 0


def test_after_logout_the_next_authorize_needs_a_login(flow, browser):
    tokens = flow.code_flow()
    browser.get(
        "/logout",
        query_string=dict(id_token_hint=tokens["id_token"], post_logout_redirect_uri=LOGGED_OUT),
    )
    assert needs_login(flow)


def test_logout_clears_the_session_cookie(flow, browser):
    tokens = flow.code_flow()
    response = browser.get("/logout", query_string=dict(id_token_hint=tokens["id_token"]))
    cleared = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("silta_session=")]
    assert cleared and ("Max-Age=0" in cleared[0] or "expires=Thu, 01 Jan 1970" in cleared[0])


def test_logout_with_client_id_matching_the_hint_redirects(flow, browser, app):
    tokens = flow.code_flow()
    response = browser.get(
        "/logout",
        query_string=dict(
            id_token_hint=tokens["id_token"], client_id="tax", post_logout_redirect_uri=LOGGED_OUT
        ),
    )
    assert response.headers["Location"] == LOGGED_OUT
    assert live_sessions(app) == 0


@pytest.mark.parametrize(
    "uri",
    [
        "https://attacker.example/logged-out",
        LOGGED_OUT + "/",
        LOGGED_OUT + "?x=1",
        "https://tax.example/callback",  # a redirect URI, not a post-logout one
    ],
    ids=["other-host", "trailing-slash", "added-query", "login-redirect-uri"],
)
def test_unregistered_post_logout_uri_is_not_redirected_to(flow, browser, app, uri):
    tokens = flow.code_flow()
    response = browser.get(
        "/logout",
        query_string=dict(id_token_hint=tokens["id_token"], post_logout_redirect_uri=uri),
    )
    assert response.status_code == 200
    assert "Location" not in response.headers
    assert "You have logged out" in response.get_data(as_text=True)
    assert live_sessions(app) == 0  # the hint was good: the logout itself happens


def test_logout_without_hint_asks_for_confirmation(flow, browser, app):
    flow.code_flow()
    response = browser.get(
        "/logout", query_string=dict(client_id="tax", post_logout_redirect_uri=LOGGED_OUT)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'action="/logout/confirm"' in html
    assert 'method="post"' in html
    assert csrf_token(html)
    assert live_sessions(app) == 1


def test_post_to_logout_without_hint_also_only_asks(flow, browser, app):
    flow.code_flow()
    response = browser.post("/logout", data=dict(client_id="tax"))
    assert 'action="/logout/confirm"' in response.get_data(as_text=True)
    assert live_sessions(app) == 1


def test_confirmed_logout_ends_the_session_without_redirecting(flow, browser, app):
    flow.code_flow()
    page = browser.get(
        "/logout", query_string=dict(client_id="tax", post_logout_redirect_uri=LOGGED_OUT)
    )
    response = browser.post(
        "/logout/confirm",
        data=dict(
            csrf_token=csrf_token(page.get_data(as_text=True)),
            client_id="tax",
            post_logout_redirect_uri=LOGGED_OUT,
        ),
    )
    # §3: without a hint the post-logout URI is not known to be the client's wish.
    assert response.status_code == 200
    assert "Location" not in response.headers
    assert live_sessions(app) == 0
    assert needs_login(flow)


@pytest.mark.parametrize("token", [None, "forged"], ids=["missing", "wrong"])
def test_confirmation_needs_the_csrf_token(flow, browser, app, token):
    flow.code_flow()
    browser.get("/logout")
    data = {} if token is None else {"csrf_token": token}
    response = browser.post("/logout/confirm", data=data)
    assert error_page(response) == "csrf"
    assert live_sessions(app) == 1


@pytest.mark.parametrize(
    "hint", ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30."], ids=["garbage", "dots", "alg-none"]
)
def test_unverifiable_hint_is_an_error_page(flow, browser, app, hint):
    flow.code_flow()
    response = browser.get(
        "/logout", query_string=dict(id_token_hint=hint, post_logout_redirect_uri=LOGGED_OUT)
    )
    assert error_page(response) == "invalid_request"
    assert live_sessions(app) == 1


def test_hint_signed_by_another_issuer_is_an_error_page(flow, browser, app):
    flow.code_flow()
    stranger = RSAKey.generate_key(2048, parameters={"kid": "elsewhere"}, private=True)
    hint = forged_hint(app, stranger, iss="https://elsewhere.example")
    response = browser.get(
        "/logout", query_string=dict(id_token_hint=hint, post_logout_redirect_uri=LOGGED_OUT)
    )
    assert error_page(response) == "invalid_request"
    assert live_sessions(app) == 1


def test_hint_naming_another_issuer_is_an_error_page(flow, browser, app):
    # Signed with this broker's key but not issued as this issuer (§2: "the OP MUST validate
    # that it was the issuer of the ID Token").
    flow.code_flow()
    hint = forged_hint(app, iss="https://elsewhere.example")
    response = browser.get(
        "/logout", query_string=dict(id_token_hint=hint, post_logout_redirect_uri=LOGGED_OUT)
    )
    assert error_page(response) == "invalid_request"
    assert live_sessions(app) == 1


def test_hint_for_another_client_than_client_id_is_an_error_page(flow, browser, app):
    tokens = flow.code_flow()
    response = browser.get(
        "/logout",
        query_string=dict(
            id_token_hint=tokens["id_token"],
            client_id="pension",
            post_logout_redirect_uri=LOGGED_OUT,
        ),
    )
    assert error_page(response) == "invalid_request"
    assert live_sessions(app) == 1


def test_expired_hint_is_still_accepted(flow, browser, app):
    flow.code_flow()
    sid = rows(app, LoginSession)[0].sid
    hint = forged_hint(app, sid=sid, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)
    response = browser.get(
        "/logout", query_string=dict(id_token_hint=hint, post_logout_redirect_uri=LOGGED_OUT)
    )
    assert response.headers["Location"] == LOGGED_OUT
    assert live_sessions(app) == 0


def test_hint_naming_another_session_leaves_this_one(flow, browser, app):
    flow.code_flow()
    hint = forged_hint(app, sid="not-this-session")
    response = browser.get(
        "/logout", query_string=dict(id_token_hint=hint, post_logout_redirect_uri=LOGGED_OUT)
    )
    assert response.headers["Location"] == LOGGED_OUT
    assert live_sessions(app) == 1
