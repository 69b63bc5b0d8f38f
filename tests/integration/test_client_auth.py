"""Client authentication at the token endpoint: each client only by its registered method.

RFC 6749 §2.3.1 and §5.2 (invalid_client; 401 with WWW-Authenticate for HTTP Basic), OIDC Core
§9 (client_secret_basic, client_secret_post, private_key_jwt), RFC 7523 §3 (assertion claims:
iss = sub = client_id, aud names the token endpoint, exp, single-use jti). A failed assertion
is 400: the 401 of §5.2 belongs to the Authorization header schemes.
"""

from __future__ import annotations

import base64
import json
import secrets
import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from idp.storage.models import AuthorizationCode
from idp.storage.models import Token
from idp.storage.models import UsedJti
from tests.conftest import register
from tests.integration.test_code_flow import verify_id_token
from tests.support.checks import count
from tests.support.checks import rows
from tests.support.flow import Flow

ISSUER = "http://127.0.0.1:8400"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@pytest.fixture(scope="module")
def client_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "pension-1"}, private=True)


@pytest.fixture(scope="module")
def stranger_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "pension-1"}, private=True)


@pytest.fixture
def signed_flow(browser, app, client_key) -> Flow:
    """A private_key_jwt client with an inline public JWKS, at the point of a fresh code."""
    rp = register(
        app,
        client_id="pension",
        name="Pension",
        redirect_uris=["https://pension.example/cb"],
        token_endpoint_auth_method="private_key_jwt",
        jwks={"keys": [client_key.as_dict(private=False)]},
    )
    flow = Flow(browser, rp)
    flow.authorize()
    flow.code = flow.login_and_consent()["code"]
    return flow


def assertion(key, client_id: str = "pension", **claims) -> str:
    """A client assertion (RFC 7523 §3); keywords override claims, None drops one."""
    issued = int(time.time())
    body = dict(
        iss=client_id,
        sub=client_id,
        aud=ISSUER + "/token",
        jti=secrets.token_urlsafe(16),
        iat=issued,
        exp=issued + 60,
    )
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode({"alg": "RS256", "kid": key.kid}, body, key)


def b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def redeem(flow, client_assertion: str):
    data = dict(
        grant_type="authorization_code",
        code=flow.code,
        redirect_uri=flow.rp.redirect_uri,
        code_verifier=flow.verifier,
        client_assertion_type=ASSERTION_TYPE,
        client_assertion=client_assertion,
    )
    return flow.browser.post("/token", data=data)


def fresh_code(flow) -> str:
    flow.authorize()
    return flow.login_and_consent()["code"]


def assert_nothing_issued(app) -> None:
    assert count(app, Token) == 0
    assert all(code.used_at is None for code in rows(app, AuthorizationCode))


# client_secret_basic and client_secret_post


def test_wrong_secret_is_401_invalid_client(flow, rp, app):
    response = flow.exchange_code(fresh_code(flow), auth=(rp.client_id, "wrong" * 8))
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert_nothing_issued(app)


@pytest.mark.parametrize(
    "auth", [("nobody", "s" * 43), ("", "s" * 43)], ids=["unknown-client", "empty-client-id"]
)
def test_unknown_client_at_token_is_401_invalid_client(flow, app, auth):
    response = flow.exchange_code(fresh_code(flow), auth=auth)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)


@pytest.mark.parametrize(
    "secret",
    [None, "registered"],
    ids=["no-client-authentication", "client-secret-post-for-a-basic-client"],
)
def test_a_basic_client_without_basic_authentication_is_401_invalid_client(
    flow, browser, rp, app, secret
):
    data = dict(
        grant_type="authorization_code",
        code=fresh_code(flow),
        client_id=rp.client_id,
        redirect_uri=rp.redirect_uri,
        code_verifier=flow.verifier,
    )
    if secret:
        data["client_secret"] = rp.secret  # the right secret, in a method it did not register
    response = browser.post("/token", data=data)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)


def test_client_secret_post_client_authenticates_in_the_body(browser, app):
    rp = register(app, token_endpoint_auth_method="client_secret_post")
    flow = Flow(browser, rp)
    code = fresh_code(flow)
    data = dict(
        grant_type="authorization_code",
        code=code,
        client_id=rp.client_id,
        client_secret=rp.secret,
        redirect_uri=rp.redirect_uri,
        code_verifier=flow.verifier,
    )
    assert browser.post("/token", data=data).status_code == 200


def test_basic_auth_for_a_client_secret_post_client_is_invalid_client(browser, app):
    rp = register(app, token_endpoint_auth_method="client_secret_post")
    flow = Flow(browser, rp)
    response = flow.exchange_code(fresh_code(flow))
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)


# private_key_jwt


def test_private_key_jwt_client_completes_a_code_flow(signed_flow, client_key, browser, app):
    response = redeem(signed_flow, assertion(client_key))
    assert response.status_code == 200, response.get_json()
    tokens = response.get_json()
    claims = verify_id_token(browser, signed_flow.rp, tokens["id_token"])
    assert claims["aud"] == "pension"
    assert claims["nonce"] == signed_flow.nonce
    assert count(app, UsedJti) == 1


def test_issuer_as_audience_is_accepted(signed_flow, client_key):
    # RFC 7523 §3 item 3: the issuer identifier is a valid audience for the token endpoint.
    assert redeem(signed_flow, assertion(client_key, aud=ISSUER)).status_code == 200


def test_replayed_assertion_is_invalid_client(signed_flow, client_key, browser, app):
    used = assertion(client_key)
    tokens = redeem(signed_flow, used).get_json()
    data = dict(
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        client_assertion_type=ASSERTION_TYPE,
        client_assertion=used,
    )
    response = browser.post("/token", data=data)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 1
    assert count(app, Token, Token.revoked_at.is_(None)) == 1  # not rotated away


def test_replayed_jti_in_a_new_assertion_is_invalid_client(signed_flow, client_key, app):
    assert redeem(signed_flow, assertion(client_key, jti="once")).status_code == 200
    signed_flow.code = fresh_code(signed_flow)
    response = redeem(signed_flow, assertion(client_key, jti="once"))
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 1


@pytest.mark.parametrize(
    "claims",
    [
        dict(aud="https://elsewhere.example/token"),
        dict(aud=ISSUER + "/userinfo"),
        dict(aud=None),
        dict(exp=int(time.time()) - 3600),
        dict(exp=None),
        dict(iss="tax"),
        dict(iss=None),
        dict(jti=None),
        dict(sub=None),
    ],
    ids=[
        "other-audience",
        "other-endpoint",
        "no-audience",
        "expired",
        "no-exp",
        "iss-not-sub",
        "no-iss",
        "no-jti",
        "no-sub",
    ],
)
def test_assertion_with_bad_claims_is_invalid_client(signed_flow, client_key, app, claims):
    response = redeem(signed_flow, assertion(client_key, **claims))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)
    assert count(app, UsedJti) == 0


def test_expired_assertion_just_outside_the_leeway_is_invalid_client(signed_flow, client_key, app):
    response = redeem(signed_flow, assertion(client_key, exp=int(time.time()) - 31 - 5))
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)


def test_assertion_signed_by_another_key_is_invalid_client(signed_flow, stranger_key, app):
    response = redeem(signed_flow, assertion(stranger_key))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)
    assert count(app, UsedJti) == 0


def test_assertion_with_an_unknown_kid_is_invalid_client(signed_flow, app):
    key = RSAKey.generate_key(2048, parameters={"kid": "not-registered"}, private=True)
    response = redeem(signed_flow, assertion(key))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)


def test_assertion_for_a_secret_client_is_invalid_client(flow, client_key, app):
    flow.code = fresh_code(flow)
    response = redeem(flow, assertion(client_key, client_id="tax"))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)


def test_unsigned_assertion_is_invalid_client(signed_flow, app):
    issued = int(time.time())
    body = dict(iss="pension", sub="pension", aud=ISSUER + "/token", jti="j", exp=issued + 60)
    unsigned = f"{b64(dict(alg='none'))}.{b64(body)}."
    response = redeem(signed_flow, unsigned)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)


def test_assertion_spent_on_a_failed_request_cannot_be_replayed(signed_flow, client_key, app):
    # OIDC Core §9: the assertion "MUST only be used once", whatever became of its request.
    used = assertion(client_key)
    code, signed_flow.code = signed_flow.code, "x" * 43
    assert redeem(signed_flow, used).get_json()["error"] == "invalid_grant"
    signed_flow.code = code
    response = redeem(signed_flow, used)
    assert response.get_json().get("error") == "invalid_client"
    assert count(app, Token) == 0


def test_unreadable_jwks_uri_is_invalid_client_not_a_server_error(browser, app, client_key):
    rp = register(
        app,
        client_id="pension",
        name="Pension",
        redirect_uris=["https://pension.example/cb"],
        token_endpoint_auth_method="private_key_jwt",
        jwks_uri="http://127.0.0.1:9/jwks.json",
    )  # the discard port: nothing answers
    flow = Flow(browser, rp)
    flow.authorize()
    flow.code = flow.login_and_consent()["code"]
    response = redeem(flow, assertion(client_key))
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] == "invalid_client"
    assert_nothing_issued(app)
