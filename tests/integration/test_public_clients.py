"""Public clients: no secret, `none` at the token endpoint, PKCE as their only binding."""

from __future__ import annotations

import pytest

from idp.clients import ClientError
from idp.clients import validate
from idp.storage.models import Token
from tests.conftest import register
from tests.support.checks import count
from tests.support.flow import Flow


@pytest.fixture
def app_flow(browser, app) -> Flow:
    rp = register(
        app,
        client_id="citizen-app",
        name="Citizen App",
        redirect_uris=["https://app.example/cb"],
        token_endpoint_auth_method="none",
        allowed_scopes=["openid", "profile"],
        allowed_claims=["given_name"],
        national_id_entitled=False,
    )
    assert rp.secret is None
    return Flow(browser, rp)


def exchange(flow: Flow, code: str, **form):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": "citizen-app",
        "redirect_uri": flow.rp.redirect_uri,
        "code_verifier": flow.verifier,
        **form,
    }
    return flow.browser.post("/token", data={k: v for k, v in data.items() if v is not None})


def test_a_public_client_redeems_its_code_with_pkce_alone(app_flow):
    app_flow.authorize()
    response = exchange(app_flow, app_flow.login_and_consent()["code"])
    assert response.status_code == 200, response.get_json()
    assert "id_token" in response.get_json()


def test_without_the_verifier_a_public_client_gets_nothing(app_flow, app):
    app_flow.authorize()
    response = exchange(app_flow, app_flow.login_and_consent()["code"], code_verifier=None)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"  # RFC 7636 §4.6: no proof, no grant
    assert count(app, Token) == 0


def test_a_public_client_cannot_pretend_to_have_a_secret(app_flow, app):
    app_flow.authorize()
    code = app_flow.login_and_consent()["code"]
    response = app_flow.browser.post(
        "/token",
        auth=("citizen-app", ""),
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": app_flow.rp.redirect_uri,
            "code_verifier": app_flow.verifier,
        },
    )
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 0


def test_a_confidential_client_cannot_skip_its_secret(flow, app):
    flow.authorize()
    code = flow.login_and_consent()["code"]
    response = flow.browser.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": flow.rp.client_id,
            "redirect_uri": flow.rp.redirect_uri,
            "code_verifier": flow.verifier,
        },
    )
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 0


def test_public_clients_get_no_secret_and_never_the_national_identity_number():
    with pytest.raises(ClientError, match="cannot be entitled"):
        validate(
            {
                "client_id": "citizen-app",
                "name": "App",
                "redirect_uris": ["https://a.example/cb"],
                "token_endpoint_auth_method": "none",
                "national_id_entitled": True,
            }
        )
    with pytest.raises(ClientError, match="client_secret"):
        validate(
            {
                "client_id": "citizen-app",
                "name": "App",
                "redirect_uris": ["https://a.example/cb"],
                "token_endpoint_auth_method": "none",
                "client_secret": "s" * 40,
            }
        )
