"""oidcc-server: the code flow end to end, judged as a strict relying party would.

OIDC Core §3.1.2.5 (the response carries the code and the `state`), RFC 9207 §2 (and `iss`),
§3.1.3.3 (the token response), §3.1.3.7 (every ID token check), §5.3.2 (userinfo `sub`).
"""

from __future__ import annotations

import time

from joserfc import jwt
from joserfc.jwk import OctKey

from tests.conftest import register
from tests.support.checks import bearer
from tests.support.flow import Flow

from .fapi import ASSERTION_TYPE
from .support import ISSUER
from .support import callback
from .support import validate_id_token


def test_code_flow_issues_an_id_token_that_passes_every_client_check(flow, browser, rp):
    flow.authorize()
    flow.login_and_consent()
    code = callback(flow.last, flow.state)["code"]
    response = flow.exchange_code(code)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"  # OIDC Core §3.1.3.3
    tokens = response.get_json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] > 0
    claims = validate_id_token(
        browser, tokens["id_token"], rp.client_id, flow.nonce, tokens["access_token"]
    )
    assert {"auth_time", "acr", "amr", "sid"} <= set(claims)
    info = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    assert info.status_code == 200
    assert info.get_json()["sub"] == claims["sub"]  # §5.3.2: the same subject


def test_state_comes_back_unchanged_whatever_its_characters(flow):
    state = "a b+c/d=e&f%g~ä"
    flow.authorize(state=state)
    flow.login_and_consent()
    assert callback(flow.last, state)["state"] == state  # RFC 6749 §4.1.2: exact value


def test_code_flow_with_client_secret_jwt(browser, app):
    # The suite runs oidcc-server under each client_auth_type variant; client_secret_jwt is
    # OIDC Core §9: an HS256 assertion keyed with the client's secret (RFC 7523 §2.2).
    rp = register(app, client_id="hmac", token_endpoint_auth_method="client_secret_jwt")
    flow = Flow(browser, rp)
    flow.authorize()
    flow.login_and_consent()
    code = callback(flow.last, flow.state)["code"]
    issued = int(time.time())
    claims = dict(
        iss=rp.client_id, sub=rp.client_id, aud=ISSUER, jti="hmac-1", iat=issued, exp=issued + 60
    )
    secret = OctKey.import_key(rp.secret.encode())
    signed = jwt.encode({"alg": "HS256"}, claims, secret, algorithms=["HS256"])
    response = flow.browser.post(
        "/token",
        data=dict(
            grant_type="authorization_code",
            code=code,
            redirect_uri=rp.redirect_uri,
            code_verifier=flow.verifier,
            client_assertion_type=ASSERTION_TYPE,
            client_assertion=signed,
        ),
    )
    assert response.status_code == 200, response.get_json()
    tokens = response.get_json()
    validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce, tokens["access_token"])
