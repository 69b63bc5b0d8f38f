"""The refresh token grant, rotating the refresh token on every use.

RFC 6749 §6 (refresh; scope no wider than granted), §5.2 (invalid_grant, unauthorized_client),
RFC 9700 §4.14.2 (rotation: the old refresh token is invalidated once a new one is issued).
"""

from __future__ import annotations

import pytest

from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token
from idp.storage.models import now
from tests.conftest import register
from tests.support.checks import bearer
from tests.support.checks import count
from tests.support.checks import rows
from tests.support.checks import update
from tests.support.flow import Flow


def refresh(browser, rp, refresh_token: str | None, **extra):
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, **extra}
    data = {k: v for k, v in data.items() if v is not None}
    return browser.post("/token", data=data, auth=rp.auth)


def test_refresh_returns_a_new_access_token_and_a_new_refresh_token(flow, browser, rp, app):
    tokens = flow.code_flow()
    response = refresh(browser, rp, tokens["refresh_token"])
    assert response.status_code == 200
    fresh = response.get_json()
    assert fresh["token_type"].lower() == "bearer"
    assert fresh["access_token"] != tokens["access_token"]
    assert fresh["refresh_token"] != tokens["refresh_token"]
    assert fresh["scope"] == tokens["scope"]
    assert fresh["expires_in"] > 0
    assert response.headers["Cache-Control"] == "no-store"
    assert count(app, Token) == 2


def test_old_refresh_token_fails_after_rotation(flow, browser, rp, app, monkeypatch):
    monkeypatch.setitem(app.config, "REFRESH_REUSE_GRACE", 0)  # see test_refresh_rotation.py
    tokens = flow.code_flow()
    refresh(browser, rp, tokens["refresh_token"])
    response = refresh(browser, rp, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 2


def test_old_access_token_stops_working_after_rotation(flow, browser, rp):
    tokens = flow.code_flow()
    refresh(browser, rp, tokens["refresh_token"])
    assert browser.get("/userinfo", headers=bearer(tokens["access_token"])).status_code == 401


def test_refreshed_access_token_works_at_userinfo(flow, browser, rp, app):
    tokens = flow.code_flow()
    fresh = refresh(browser, rp, tokens["refresh_token"]).get_json()
    response = browser.get("/userinfo", headers=bearer(fresh["access_token"]))
    assert response.status_code == 200
    assert response.get_json()["given_name"] == "Aino"
    assert count(app, ReleaseLogEntry) == 2  # the ID token and this answer


def test_refresh_token_rotates_again_and_again(flow, browser, rp):
    current = flow.code_flow()["refresh_token"]
    for _ in range(3):
        response = refresh(browser, rp, current)
        assert response.status_code == 200
        current = response.get_json()["refresh_token"]


def test_client_without_the_refresh_grant_gets_no_refresh_token(browser, app):
    rp = register(app, grant_types=["authorization_code"])
    tokens = Flow(browser, rp).code_flow()
    assert "refresh_token" not in tokens
    assert count(app, Token, Token.refresh_token_hash.is_not(None)) == 0


def test_refresh_by_a_client_without_the_refresh_grant_is_unauthorized_client(browser, app):
    tax = register(app)
    tokens = Flow(browser, tax).code_flow()
    pension = register(
        app,
        client_id="pension",
        name="Pension",
        redirect_uris=["https://pension.example/cb"],
        grant_types=["authorization_code"],
    )
    response = refresh(browser, pension, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.get_json()["error"] == "unauthorized_client"
    assert count(app, Token) == 1
    assert count(app, Token, Token.revoked_at.is_(None)) == 1


def test_refresh_token_of_another_client_is_invalid_grant(flow, browser, app):
    tokens = flow.code_flow()
    pension = register(
        app, client_id="pension", name="Pension", redirect_uris=["https://pension.example/cb"]
    )
    response = refresh(browser, pension, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token, Token.revoked_at.is_(None)) == 1  # the rightful one survives


@pytest.mark.parametrize(
    ("token", "error"),
    [(None, "invalid_request"), ("", "invalid_grant"), ("x" * 43, "invalid_grant")],
    ids=["missing", "empty", "unknown"],
)
def test_missing_or_unknown_refresh_token(flow, browser, rp, app, token, error):
    flow.code_flow()
    response = refresh(browser, rp, token)
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert count(app, Token) == 1


def test_expired_refresh_token_is_invalid_grant(flow, browser, rp, app):
    tokens = flow.code_flow()
    update(app, Token, refresh_expires_at=now() - 1)
    response = refresh(browser, rp, tokens["refresh_token"])
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 1


def test_access_token_as_refresh_token_is_invalid_grant(flow, browser, rp, app):
    tokens = flow.code_flow()
    response = refresh(browser, rp, tokens["access_token"])
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 1


def test_refresh_may_narrow_the_scope(flow, browser, rp):
    tokens = flow.code_flow()
    response = refresh(browser, rp, tokens["refresh_token"], scope="openid")
    assert response.status_code == 200
    assert response.get_json()["scope"] == "openid"


def test_narrowed_token_releases_none_of_the_dropped_scopes_claims(flow, browser, rp, app):
    tokens = flow.code_flow(scope="openid profile age")
    narrowed = refresh(browser, rp, tokens["refresh_token"], scope="openid age").get_json()
    info = browser.get("/userinfo", headers=bearer(narrowed["access_token"])).get_json()
    assert set(info) == {"sub", "age_over_18"}
    assert rows(app, ReleaseLogEntry)[-1].claims == ["age_over_18"]


def test_refresh_may_not_widen_the_scope(flow, browser, rp, app):
    tokens = flow.code_flow()
    response = refresh(browser, rp, tokens["refresh_token"], scope="openid profile national_id")
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_scope"
    assert count(app, Token) == 1
    assert count(app, Token, Token.revoked_at.is_(None)) == 1


def test_refresh_with_a_wrong_secret_is_invalid_client_and_rotates_nothing(flow, browser, rp, app):
    tokens = flow.code_flow()
    data = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    response = browser.post("/token", data=data, auth=(rp.client_id, "wrong" * 8))
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token, Token.revoked_at.is_(None)) == 1
