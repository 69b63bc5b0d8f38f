"""Token revocation (RFC 7009).

§2.1: the client authenticates; a token of another client is refused (Authlib answers
``invalid_grant``) and stays valid; revoking either token of a grant may revoke the other, and
here both live in one row, so both go. §2.2: an unknown or already revoked token is still
200. §2.2.1: ``unsupported_token_type`` for a hint the server does not know.
"""

from __future__ import annotations

import pytest

from idp.storage.models import Token
from tests.conftest import register
from tests.support.checks import bearer
from tests.support.checks import count
from tests.support.flow import query


def revoke(browser, rp, token: str | None, auth=None, **extra):
    data = {"token": token, **extra}
    data = {k: v for k, v in data.items() if v is not None}
    return browser.post("/revoke", data=data, auth=auth or rp.auth)


def refresh(browser, rp, refresh_token: str):
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return browser.post("/token", data=data, auth=rp.auth)


def userinfo_status(browser, access_token: str) -> int:
    return browser.get("/userinfo", headers=bearer(access_token)).status_code


@pytest.mark.parametrize("hint", [None, "access_token", "refresh_token"])
def test_revoked_access_token_is_refused_at_userinfo(flow, browser, rp, app, hint):
    tokens = flow.code_flow()
    response = revoke(browser, rp, tokens["access_token"], token_type_hint=hint)
    assert response.status_code == 200
    assert userinfo_status(browser, tokens["access_token"]) == 401
    assert count(app, Token, Token.revoked_at.is_(None)) == 0


@pytest.mark.parametrize("hint", [None, "refresh_token", "access_token"])
def test_revoked_refresh_token_ends_refresh_and_its_access_token(flow, browser, rp, app, hint):
    tokens = flow.code_flow()
    response = revoke(browser, rp, tokens["refresh_token"], token_type_hint=hint)
    assert response.status_code == 200
    assert refresh(browser, rp, tokens["refresh_token"]).get_json()["error"] == "invalid_grant"
    assert userinfo_status(browser, tokens["access_token"]) == 401
    assert count(app, Token) == 1


@pytest.mark.parametrize("token", ["x" * 43, ""], ids=["unknown", "empty"])
def test_unknown_token_is_200_and_revokes_nothing(flow, browser, rp, app, token):
    tokens = flow.code_flow()
    response = revoke(browser, rp, token)
    assert response.status_code == 200
    assert userinfo_status(browser, tokens["access_token"]) == 200
    assert count(app, Token, Token.revoked_at.is_(None)) == 1


def test_revoking_twice_is_200(flow, browser, rp):
    tokens = flow.code_flow()
    assert revoke(browser, rp, tokens["access_token"]).status_code == 200
    assert revoke(browser, rp, tokens["access_token"]).status_code == 200


def test_token_of_another_client_is_refused_and_stays_valid(flow, browser, app):
    tokens = flow.code_flow()
    pension = register(
        app, client_id="pension", name="Pension", redirect_uris=["https://pension.example/cb"]
    )
    response = revoke(browser, pension, tokens["access_token"])
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert userinfo_status(browser, tokens["access_token"]) == 200
    assert count(app, Token, Token.revoked_at.is_(None)) == 1


def test_missing_token_parameter_is_invalid_request(flow, browser, rp, app):
    flow.code_flow()
    response = revoke(browser, rp, None)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"
    assert count(app, Token, Token.revoked_at.is_(None)) == 1


def test_unknown_token_type_hint_is_unsupported_token_type(flow, browser, rp, app):
    tokens = flow.code_flow()
    response = revoke(browser, rp, tokens["access_token"], token_type_hint="id_token")
    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_token_type"
    assert userinfo_status(browser, tokens["access_token"]) == 200


@pytest.mark.parametrize(
    "auth", [("tax", "wrong" * 8), ("nobody", "s" * 43)], ids=["wrong-secret", "unknown-client"]
)
def test_revocation_needs_client_authentication(flow, browser, rp, app, auth):
    tokens = flow.code_flow()
    response = revoke(browser, rp, tokens["access_token"], auth=auth)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert userinfo_status(browser, tokens["access_token"]) == 200


def test_revocation_without_any_client_authentication_is_invalid_client(flow, browser, rp, app):
    tokens = flow.code_flow()
    data = {"token": tokens["access_token"], "client_id": rp.client_id}
    response = browser.post("/revoke", data=data)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token, Token.revoked_at.is_(None)) == 1


def test_revocation_is_post_only(flow, browser, rp):
    tokens = flow.code_flow()
    response = browser.get("/revoke", query_string={"token": tokens["access_token"]})
    assert response.status_code == 405
    assert userinfo_status(browser, tokens["access_token"]) == 200


def test_revoking_one_grant_leaves_another_grant_alone(flow, browser, rp, app):
    first = flow.code_flow()
    flow.authorize()  # single sign-on: only the consent is asked again
    flow.consent()
    second = flow.exchange_code(query(flow.resume())["code"]).get_json()
    revoke(browser, rp, first["access_token"])
    assert userinfo_status(browser, first["access_token"]) == 401
    assert userinfo_status(browser, second["access_token"]) == 200
