"""An authorization code is redeemed once, by its own client, before it expires.

RFC 6749 §4.1.2 and §4.1.3, RFC 9700 §4.5; OIDC Core §3.1.3.2. The conformance suite's
``oidcc-codereuse`` and ``oidcc-codereuse-30seconds`` tests.
"""

from __future__ import annotations

from idp.storage.models import AuthorizationCode
from idp.storage.models import Token
from idp.storage.models import now
from tests.conftest import register
from tests.support.checks import bearer
from tests.support.checks import count
from tests.support.checks import rows
from tests.support.checks import update
from tests.support.flow import Flow


def first_redemption(flow) -> tuple[str, dict]:
    flow.authorize()
    code = flow.login_and_consent()["code"]
    response = flow.exchange_code(code)
    assert response.status_code == 200
    return code, response.get_json()


def refresh(browser, rp, refresh_token: str):
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return browser.post("/token", data=data, auth=rp.auth)


def test_second_redemption_is_invalid_grant_and_issues_nothing(flow, app):
    code, _ = first_redemption(flow)
    response = flow.exchange_code(code)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert "access_token" not in response.get_json()
    assert count(app, Token) == 1


def test_second_redemption_revokes_the_first_access_token(flow, browser, app):
    code, tokens = first_redemption(flow)
    assert browser.get("/userinfo", headers=bearer(tokens["access_token"])).status_code == 200
    flow.exchange_code(code)
    response = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert all(token.revoked_at is not None for token in rows(app, Token))


def test_second_redemption_revokes_the_first_refresh_token(flow, browser, rp, app):
    code, tokens = first_redemption(flow)
    flow.exchange_code(code)
    response = refresh(browser, rp, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 1


def test_second_redemption_revokes_tokens_refreshed_from_the_first(flow, browser, rp, app):
    # "all tokens previously issued based on that authorization code" (RFC 6749 §4.1.2)
    code, tokens = first_redemption(flow)
    refreshed = refresh(browser, rp, tokens["refresh_token"]).get_json()
    flow.exchange_code(code)
    assert browser.get("/userinfo", headers=bearer(refreshed["access_token"])).status_code == 401
    assert refresh(browser, rp, refreshed["refresh_token"]).get_json()["error"] == "invalid_grant"
    assert count(app, Token, Token.revoked_at.is_(None)) == 0


def test_expired_code_is_invalid_grant(flow, app):
    flow.authorize()
    code = flow.login_and_consent()["code"]
    update(app, AuthorizationCode, expires_at=now() - 1)
    response = flow.exchange_code(code)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 0
    assert rows(app, AuthorizationCode)[0].used_at is None


def test_code_issued_to_another_client_is_invalid_grant(flow, browser, app):
    pension = register(
        app, client_id="pension", name="Pension", redirect_uris=["https://pension.example/cb"]
    )
    flow.authorize()
    code = flow.login_and_consent()["code"]
    response = flow.exchange_code(code, auth=pension.auth, redirect_uri=pension.redirect_uri)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 0
    assert rows(app, AuthorizationCode)[0].used_at is None  # not burnt by the wrong client


def test_code_from_another_client_does_not_revoke_its_tokens(flow, browser, app):
    pension = register(
        app, client_id="pension", name="Pension", redirect_uris=["https://pension.example/cb"]
    )
    code, tokens = first_redemption(flow)
    Flow(browser, pension).exchange_code(code)
    assert browser.get("/userinfo", headers=bearer(tokens["access_token"])).status_code == 200
    assert count(app, Token, Token.revoked_at.is_(None)) == 1


def test_unknown_code_is_invalid_grant(flow, app):
    flow.authorize()
    flow.login_and_consent()
    response = flow.exchange_code("x" * 43)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 0
