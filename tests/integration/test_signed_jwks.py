"""The signed JWKS and the entity configuration (OpenID Federation 1.0 §3, §5.2.1, §9).

`signed_jwks_uri` serves the JWKS as a JWT (`typ: jwk-set+jwt`, `application/jwk-set+jwt`);
`/.well-known/openid-federation` a self-signed entity statement (`typ: entity-statement+jwt`,
`application/entity-statement+jwt`) whose `metadata.openid_provider` is the discovery document.
Both are signed with the current RS256 key, cached like the JWKS, and follow a key rotation
without a restart.
"""

from __future__ import annotations

import time

import pytest
import requests
from joserfc import jws
from joserfc import jwt
from joserfc.jwk import KeySet

from idp.oidc import keys
from tests.integration.test_key_rotation import rotating_broker  # noqa: F401 (a fixture)

ISSUER = "http://127.0.0.1:8400"


def verified(raw: str, jwks: dict, typ: str) -> tuple[dict, dict]:
    """The header and claims of a JWT after checking its signature against ``jwks``."""
    header = jws.extract_compact(raw.encode()).headers()
    assert header["typ"] == typ
    assert header["alg"] == "RS256"
    token = jwt.decode(raw, KeySet.import_key_set(jwks), algorithms=["RS256"])
    return header, dict(token.claims)


def test_signed_jwks_is_the_published_jwks_signed_by_the_broker(browser):
    metadata = browser.get("/.well-known/openid-configuration").get_json()
    response = browser.get(metadata["signed_jwks_uri"].removeprefix(ISSUER))
    assert response.status_code == 200
    assert response.mimetype == "application/jwk-set+jwt"
    jwks = browser.get("/jwks.json").get_json()
    header, claims = verified(response.get_data(as_text=True), jwks, "jwk-set+jwt")
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}
    assert claims["iss"] == claims["sub"] == ISSUER
    assert claims["keys"] == jwks["keys"]
    assert claims["iat"] <= time.time() < claims["exp"]


def test_entity_configuration_is_self_signed_and_carries_the_discovery_document(browser):
    response = browser.get("/.well-known/openid-federation")
    assert response.status_code == 200
    assert response.mimetype == "application/entity-statement+jwt"
    raw = response.get_data(as_text=True)
    unverified = jwt.decode(raw, KeySet.import_key_set(browser.get("/jwks.json").get_json()))
    # Self-signed (§3): the statement verifies with the keys it carries itself.
    header, claims = verified(raw, unverified.claims["jwks"], "entity-statement+jwt")
    assert header["kid"] in {key["kid"] for key in claims["jwks"]["keys"]}
    assert claims["iss"] == claims["sub"] == ISSUER
    assert claims["iat"] <= time.time() < claims["exp"]
    assert claims["jwks"] == browser.get("/jwks.json").get_json()
    provider = claims["metadata"]["openid_provider"]
    assert provider == browser.get("/.well-known/openid-configuration").get_json()
    assert provider["signed_jwks_uri"] == ISSUER + "/jwks.jwt"
    for private in ("d", "p", "q", "k"):
        assert all(private not in key for key in claims["jwks"]["keys"])


@pytest.mark.parametrize("path", ["/jwks.jwt", "/.well-known/openid-federation"])
def test_signed_documents_are_cached_like_the_jwks(browser, path):
    response = browser.get(path)
    assert response.cache_control.public
    assert response.cache_control.max_age == 300
    assert "Set-Cookie" not in response.headers


@pytest.mark.live
def test_both_follow_a_rotation_without_a_restart(rotating_broker):  # noqa: F811
    live = rotating_broker

    def fetch(path: str) -> tuple[dict, dict]:
        raw = requests.get(live.url + path, timeout=10).text
        jwks = requests.get(live.url + "/jwks.json", timeout=10).json()
        typ = "jwk-set+jwt" if path == "/jwks.jwt" else "entity-statement+jwt"
        return verified(raw, jwks, typ)

    before, _ = fetch("/jwks.jwt")
    with live.app.app_context():
        (new_kid,) = keys.rotate(("RS256",))
    _, claims = fetch("/jwks.jwt")
    assert new_kid in {key["kid"] for key in claims["keys"]}  # published before it signs
    _, statement = fetch("/.well-known/openid-federation")
    assert new_kid in {key["kid"] for key in statement["jwks"]["keys"]}
    time.sleep(4.1)  # past the grace (3 s, from a whole second rounded up): the next key signs
    for path in ("/jwks.jwt", "/.well-known/openid-federation"):
        header, claims = fetch(path)
        assert header["kid"] == new_kid != before["kid"]
    assert before["kid"] in {key["kid"] for key in claims["jwks"]["keys"]}  # retired, published
