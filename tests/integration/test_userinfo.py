"""The UserInfo endpoint (OIDC Core §5.3): the bearer token's consented claims, each answer logged.

§5.3.1: GET or POST, the access token as a Bearer token (RFC 6750 §2.1). §5.3.3 and RFC 6750
§3: an invalid or missing token is 401 with ``WWW-Authenticate``. Only the header method is
served: RFC 6750 §2.2 and §2.3 (form body, query) are optional and RFC 9700 §4.3.2 advises
against tokens in URIs, so those requests count as carrying no token. The challenge's scheme
is compared case-insensitively (RFC 9110 §11.1): Authlib writes ``bearer``.
"""

from __future__ import annotations

import pytest

from idp import clients
from idp.audit import release_log
from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token
from idp.storage.models import now
from tests.integration.test_code_flow import verify_id_token
from tests.support.checks import bearer
from tests.support.checks import count
from tests.support.checks import rows
from tests.support.checks import update
from tests.support.flow import query


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_bearer_header_gets_sub_and_consented_claims(flow, browser, rp, method):
    tokens = flow.code_flow()
    response = browser.open("/userinfo", method=method, headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    info = response.get_json()
    assert info["sub"] == verify_id_token(browser, rp, tokens["id_token"])["sub"]
    assert info["given_name"] == "Aino"
    assert info["family_name"] == "Virtanen"


def test_only_the_claims_ticked_at_consent_are_returned(flow, browser):
    flow.authorize(scope="openid profile age")
    flow.login()
    flow.resume()
    flow.consent(claims=["given_name", "age_over_18"])
    code = query(flow.resume())["code"]
    tokens = flow.exchange_code(code).get_json()
    info = browser.get("/userinfo", headers=bearer(tokens["access_token"])).get_json()
    assert set(info) == {"sub", "given_name", "age_over_18"}
    assert info["age_over_18"] is True


def test_no_claim_ticked_returns_only_sub(flow, browser):
    flow.authorize()
    flow.login()
    flow.resume()
    flow.consent(claims=[])
    code = query(flow.resume())["code"]
    tokens = flow.exchange_code(code).get_json()
    info = browser.get("/userinfo", headers=bearer(tokens["access_token"])).get_json()
    assert set(info) == {"sub"}


def test_claims_not_in_scope_are_not_returned(flow, browser):
    tokens = flow.code_flow(scope="openid")
    info = browser.get("/userinfo", headers=bearer(tokens["access_token"])).get_json()
    assert set(info) == {"sub"}


def test_each_answer_appends_a_release_log_entry(flow, browser, app):
    tokens = flow.code_flow()
    for _ in range(2):
        browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    entries = rows(app, ReleaseLogEntry)
    assert [e.channel for e in entries] == ["id_token", "userinfo", "userinfo"]
    assert entries[-1].client_id == "tax"
    assert entries[-1].claims == ["birthdate", "family_name", "given_name", "name"]
    with app.app_context():
        assert release_log.verify(entries[0].person_id).ok


def test_missing_token_is_401_with_www_authenticate(flow, browser, app):
    flow.code_flow()
    response = browser.get("/userinfo")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert count(app, ReleaseLogEntry) == 1  # the ID token's only


@pytest.mark.parametrize(
    "authorization",
    ["Bearer " + "x" * 43, "Bearer", "Basic dGF4OnNlY3JldA==", "bearer-ish token"],
    ids=["unknown-token", "empty-bearer", "basic", "garbage"],
)
def test_invalid_authorization_is_401_with_www_authenticate(flow, browser, app, authorization):
    flow.code_flow()
    response = browser.get("/userinfo", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert count(app, ReleaseLogEntry) == 1


def test_unknown_token_says_invalid_token(browser, app):
    response = browser.get("/userinfo", headers=bearer("x" * 43))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert count(app, ReleaseLogEntry) == 0


def test_expired_access_token_is_401(flow, browser, app):
    tokens = flow.code_flow()
    update(app, Token, access_expires_at=now() - 1)
    response = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert count(app, ReleaseLogEntry) == 1


def test_refresh_token_is_not_an_access_token(flow, browser, app):
    tokens = flow.code_flow()
    response = browser.get("/userinfo", headers=bearer(tokens["refresh_token"]))
    assert response.status_code == 401
    assert count(app, ReleaseLogEntry) == 1


def test_id_token_is_not_an_access_token(flow, browser, app):
    tokens = flow.code_flow()
    response = browser.get("/userinfo", headers=bearer(tokens["id_token"]))
    assert response.status_code == 401
    assert count(app, ReleaseLogEntry) == 1


@pytest.mark.parametrize("where", ["query", "form"])
def test_token_outside_the_authorization_header_is_not_accepted(flow, browser, app, where):
    tokens = flow.code_flow()
    given = {"access_token": tokens["access_token"]}
    if where == "query":
        response = browser.get("/userinfo", query_string=given)
    else:
        response = browser.post("/userinfo", data=given)
    assert response.status_code == 401
    assert count(app, ReleaseLogEntry) == 1


def test_a_token_of_a_service_removed_since_answers_nothing(flow, browser, app):
    tokens = flow.code_flow()
    with app.app_context():
        assert clients.remove(flow.rp.client_id)
    response = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"
    assert count(app, ReleaseLogEntry, ReleaseLogEntry.channel == "userinfo") == 0
