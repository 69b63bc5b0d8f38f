"""ID token signing: the client's registered algorithm, a key published in the JWKS.

OIDC Core §2 and §3.1.3.7 items 6–7 (RS256 by default; ``id_token_signed_response_alg`` from
OIDC Registration §2), §10.1 (the ``kid`` names a key in the OP's JWKS). The conformance
suite's ``oidcc-server`` checks the signature against ``jwks_uri``; ``oidcc-idtoken-rs256``.
"""

from __future__ import annotations

import base64
import hashlib

import pytest
from joserfc import jws
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.conftest import register
from tests.support.flow import Flow

ISSUER = "http://127.0.0.1:8400"


def header_of(id_token: str) -> dict:
    return jws.extract_compact(id_token.encode()).protected


def published(browser) -> dict[str, dict]:
    return {key["kid"]: key for key in browser.get("/jwks.json").get_json()["keys"]}


@pytest.mark.parametrize(("alg", "kty"), [("RS256", "RSA"), ("ES256", "EC")])
def test_id_token_is_signed_with_the_registered_algorithm(browser, app, alg, kty):
    rp = register(app, id_token_signed_response_alg=alg)
    tokens = Flow(browser, rp).code_flow()
    header = header_of(tokens["id_token"])
    assert header["alg"] == alg
    assert header["typ"] == "JWT"
    key = published(browser)[header["kid"]]
    assert key["kty"] == kty
    assert key["alg"] == alg


def test_rs256_is_the_default(flow, browser):
    tokens = flow.code_flow()
    header = header_of(tokens["id_token"])
    assert header["alg"] == "RS256"
    assert header["kid"] in published(browser)


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_id_token_verifies_with_the_jwks_key_it_names_and_no_other(browser, app, alg):
    rp = register(app, id_token_signed_response_alg=alg)
    flow = Flow(browser, rp)
    tokens = flow.code_flow()
    kid = header_of(tokens["id_token"])["kid"]
    only = KeySet.import_key_set({"keys": [published(browser)[kid]]})
    claims = jwt.decode(tokens["id_token"], only, algorithms=[alg]).claims
    assert claims["iss"] == ISSUER
    assert claims["aud"] == "tax"
    assert claims["nonce"] == flow.nonce
    assert claims["exp"] > claims["iat"]


def test_es256_client_and_rs256_client_get_different_keys(browser, app):
    rs = register(app)
    es = register(
        app,
        client_id="pension",
        name="Pension",
        redirect_uris=["https://pension.example/cb"],
        id_token_signed_response_alg="ES256",
    )
    first = header_of(Flow(browser, rs).code_flow()["id_token"])
    second = header_of(Flow(browser, es).code_flow()["id_token"])
    assert (first["alg"], second["alg"]) == ("RS256", "ES256")
    assert first["kid"] != second["kid"]


def test_at_hash_is_computed_with_the_signing_algorithm(browser, app):
    # OIDC Core §3.1.3.6: at_hash uses the hash of the ID token's alg (SHA-256 for both here).
    rp = register(app, id_token_signed_response_alg="ES256")
    tokens = Flow(browser, rp).code_flow()
    claims = jwt.decode(
        tokens["id_token"],
        KeySet.import_key_set(browser.get("/jwks.json").get_json()),
        algorithms=["ES256"],
    ).claims
    digest = hashlib.sha256(tokens["access_token"].encode()).digest()
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
