"""Signed request objects (RFC 9101) and pushed authorization requests (RFC 9126)."""

from __future__ import annotations

import re
import secrets
import time

import pytest
from joserfc import jwe
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwk import OctKey
from joserfc.jwk import RSAKey

from idp.storage.models import Interaction
from idp.storage.models import PushedRequest
from tests.conftest import register
from tests.support.checks import count
from tests.support.checks import update
from tests.support.flow import Flow
from tests.support.pkce import new_pair

ISSUER = "http://127.0.0.1:8400"
SIG = RSAKey.generate_key(2048, parameters={"use": "sig", "kid": "sig-1"}, private=True)
ENC = RSAKey.generate_key(2048, parameters={"use": "enc", "kid": "enc-1"}, private=True)
STRANGER = RSAKey.generate_key(2048, parameters={"kid": "sig-1"}, private=True)
ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def jwks(*keys) -> dict:
    return {"keys": [k.as_dict(private=False) for k in keys]}


@pytest.fixture
def strict(browser, app):
    """An FTN-profile service: private_key_jwt, signed request objects only, encrypted ID tokens."""
    rp = register(
        app,
        client_id="tax-strict",
        name="Tax Administration",
        redirect_uris=["https://tax.example/cb"],
        token_endpoint_auth_method="private_key_jwt",
        jwks=jwks(SIG, ENC),
        require_signed_request_object=True,
        id_token_encrypted_response_alg="RSA-OAEP",
    )
    return Flow(browser, rp)


def request_params(flow: Flow, **changes) -> dict:
    flow.verifier, challenge = new_pair()
    flow.state, flow.nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
    params = dict(
        response_type="code",
        client_id=flow.rp.client_id,
        redirect_uri=flow.rp.redirect_uri,
        scope="openid profile",
        state=flow.state,
        nonce=flow.nonce,
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    params.update(changes)
    return {k: v for k, v in params.items() if v is not None}


def request_object(flow: Flow, key=SIG, header=None, **changes) -> str:
    now = int(time.time())
    claims = {
        "iss": flow.rp.client_id,
        "aud": ISSUER,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": secrets.token_urlsafe(12),
        **request_params(flow),
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(
        header or {"alg": "RS256", "kid": "sig-1"},
        claims,
        key,
        algorithms=["RS256", "HS256", "PS256", "ES256"],
    )


def assertion(client_id: str, audience: str = ISSUER + "/token") -> str:
    now = int(time.time())
    return jwt.encode(
        {"alg": "RS256", "kid": "sig-1"},
        {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "iat": now,
            "exp": now + 60,
            "jti": secrets.token_urlsafe(12),
        },
        SIG,
    )


def finish(flow: Flow, response) -> dict:
    """From a successful /authorize to the decrypted, verified ID token's claims."""
    assert response.status_code == 303, re.findall(
        r'role="alert">([^<]*)<', response.get_data(as_text=True)
    )
    flow.interaction = response.headers["Location"]
    callback = flow.login_and_consent()
    assert callback["state"] == flow.state
    tokens = flow.browser.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": callback["code"],
            "redirect_uri": flow.rp.redirect_uri,
            "code_verifier": flow.verifier,
            "client_assertion_type": ASSERTION,
            "client_assertion": assertion(flow.rp.client_id),
        },
    )
    assert tokens.status_code == 200, tokens.get_json()
    inner = jwe.decrypt_compact(
        tokens.get_json()["id_token"], ENC, algorithms=["RSA-OAEP", "A128CBC-HS256"]
    )
    keys = KeySet.import_key_set(flow.browser.get("/jwks.json").get_json())
    return dict(jwt.decode(inner.plaintext, keys, algorithms=["RS256"]).claims)


def test_strict_service_logs_in_with_a_signed_request_object(strict):
    response = strict.browser.get(
        "/authorize", query_string={"client_id": "tax-strict", "request": request_object(strict)}
    )
    claims = finish(strict, response)
    assert claims["nonce"] == strict.nonce


def test_strict_service_logs_in_through_par_with_the_object_inside(strict):
    pushed = strict.browser.post(
        "/par",
        data={
            "client_id": "tax-strict",
            "request": request_object(strict),
            "client_assertion_type": ASSERTION,
            "client_assertion": assertion("tax-strict", ISSUER),
        },
    )
    assert pushed.status_code == 201, pushed.get_json()
    body = pushed.get_json()
    assert body["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")
    assert 0 < body["expires_in"] <= 60
    response = strict.browser.get(
        "/authorize", query_string={"client_id": "tax-strict", "request_uri": body["request_uri"]}
    )
    assert finish(strict, response)["aud"] == "tax-strict"


def refused(flow: Flow, app, **query_string) -> str:
    response = flow.browser.get("/authorize", query_string=query_string)
    assert response.status_code == 400  # a page: the redirect URI inside is not yet trusted
    assert "Location" not in response.headers
    assert count(app, Interaction) == 0
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda f: request_object(f, header={"alg": "none"}, key=None), "invalid_request_object"),
        (
            lambda f: request_object(f, key=OctKey.import_key("s" * 32), header={"alg": "HS256"}),
            "invalid_request_object",
        ),
        (
            lambda f: request_object(f, header={"alg": "RS256", "kid": "nope"}),
            "invalid_request_object",
        ),
        (lambda f: request_object(f, key=STRANGER), "invalid_request_object"),
        (lambda f: request_object(f, iss="someone"), "invalid_request_object"),
        (lambda f: request_object(f, aud="https://other.example"), "invalid_request_object"),
        (lambda f: request_object(f, exp=int(time.time()) - 120), "invalid_request_object"),
        (lambda f: request_object(f, exp=int(time.time()) + 7200), "invalid_request_object"),
        (lambda f: request_object(f, jti=None), "invalid_request_object"),
        (lambda f: "not-a-jwt", "invalid_request_object"),
    ],
    ids=[
        "alg-none",
        "hs256",
        "unknown-kid",
        "wrong-key",
        "wrong-iss",
        "wrong-aud",
        "expired",
        "too-long-lived",
        "no-jti",
        "garbage",
    ],
)
def test_bad_request_objects_are_refused_and_nothing_is_stored(strict, app, make, error):
    try:
        raw = make(strict)
    except Exception:  # joserfc refuses to sign alg none with a key: build it by hand
        raw = "eyJhbGciOiJub25lIn0." + "e30."
    page = refused(strict, app, client_id="tax-strict", request=raw)
    assert error in page


def test_a_replayed_request_object_is_refused(strict, app):
    raw = request_object(strict)
    first = strict.browser.get(
        "/authorize", query_string={"client_id": "tax-strict", "request": raw}
    )
    assert first.status_code == 303
    page = strict.browser.get(
        "/authorize", query_string={"client_id": "tax-strict", "request": raw}
    )
    assert page.status_code == 400
    assert "used before" in page.get_data(as_text=True)


def test_strict_clients_may_send_nothing_outside_the_object(strict, app):
    page = refused(
        strict,
        app,
        client_id="tax-strict",
        request=request_object(strict),
        scope="openid profile national_id",
    )
    assert "outside the request object" in page


def test_strict_clients_must_sign(strict, app):
    page = refused(strict, app, **request_params(strict))
    assert "signed request object" in page


def test_a_plain_client_may_also_send_a_request_object(browser, app):
    rp = register(
        app,
        client_id="library",
        name="Library",
        redirect_uris=["https://lib.example/cb"],
        token_endpoint_auth_method="private_key_jwt",
        jwks=jwks(SIG),
    )
    flow = Flow(browser, rp)
    response = browser.get(
        "/authorize", query_string={"client_id": "library", "request": request_object(flow)}
    )
    assert response.status_code == 303


# Pushed authorization requests with a secret-based client


def test_pushed_request_is_single_use(flow, browser, rp, app):
    pushed = browser.post("/par", auth=rp.auth, data=request_params(flow)).get_json()
    first = browser.get(
        "/authorize", query_string={"client_id": rp.client_id, "request_uri": pushed["request_uri"]}
    )
    assert first.status_code == 303
    again = browser.get(
        "/authorize", query_string={"client_id": rp.client_id, "request_uri": pushed["request_uri"]}
    )
    assert again.status_code == 400
    assert "invalid_request_uri" in again.get_data(as_text=True)


def test_an_expired_pushed_request_is_refused(flow, browser, rp, app):
    pushed = browser.post("/par", auth=rp.auth, data=request_params(flow)).get_json()
    update(app, PushedRequest, expires_at=int(time.time()) - 1)
    response = browser.get(
        "/authorize", query_string={"client_id": rp.client_id, "request_uri": pushed["request_uri"]}
    )
    assert "invalid_request_uri" in response.get_data(as_text=True)


def test_another_clients_request_uri_is_refused(flow, browser, rp, app):
    pushed = browser.post("/par", auth=rp.auth, data=request_params(flow)).get_json()
    register(app, client_id="library", name="Library", redirect_uris=["https://lib.example/cb"])
    response = browser.get(
        "/authorize", query_string={"client_id": "library", "request_uri": pushed["request_uri"]}
    )
    assert "invalid_request_uri" in response.get_data(as_text=True)
    assert count(app, Interaction) == 0


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"code_challenge": None}, "invalid_request"),
        ({"redirect_uri": "https://evil.example/cb"}, "invalid_request"),
        ({"request_uri": "urn:x"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "email"}, "invalid_scope"),
    ],
)
def test_par_validates_the_request_before_storing_it(flow, browser, rp, app, changes, error):
    response = browser.post("/par", auth=rp.auth, data=request_params(flow, **changes))
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert count(app, PushedRequest) == 0


def test_par_needs_client_authentication(flow, browser, rp, app):
    response = browser.post("/par", data=request_params(flow))
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, PushedRequest) == 0


def test_a_client_that_must_push_cannot_use_the_front_channel(browser, app):
    rp = register(
        app,
        client_id="pension",
        name="Pension",
        redirect_uris=["https://p.example/cb"],
        require_pushed_authorization_requests=True,
    )
    flow = Flow(browser, rp)
    page = refused(flow, app, **request_params(flow))
    assert "/par" in page
    pushed = browser.post("/par", auth=rp.auth, data=request_params(flow)).get_json()
    response = browser.get(
        "/authorize", query_string={"client_id": "pension", "request_uri": pushed["request_uri"]}
    )
    assert response.status_code == 303
    flow.interaction = response.headers["Location"]
    assert "code" in flow.login_and_consent()
