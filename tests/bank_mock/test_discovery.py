"""Discovery, JWKS and health, exactly as the broker expects them."""

from __future__ import annotations

import pytest

from .support import ISSUER


def test_discovery_is_the_contract(browser):
    metadata = browser.get("/.well-known/openid-configuration").get_json()
    assert metadata == {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/authorize",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks.json",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "scopes_supported": ["openid", "profile", "personal_identity_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "id_token_encryption_alg_values_supported": ["RSA-OAEP"],
        "id_token_encryption_enc_values_supported": ["A128CBC-HS256"],
        "request_object_signing_alg_values_supported": ["RS256"],
        "request_parameter_supported": True,
        "request_uri_parameter_supported": False,
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": [
            "http://ftn.ficora.fi/2017/loa2",
            "http://ftn.ficora.fi/2017/loa3",
        ],
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "acr",
            "urn:oid:1.2.246.21",
            "given_name",
            "family_name",
            "name",
            "birthdate",
        ],
        "ui_locales_supported": ["en", "fi", "ja"],
        "authorization_response_iss_parameter_supported": True,
        "bank_name": "Aurora Bank",
        "logo_uri": f"{ISSUER}/logo.svg",
    }


def test_jwks_holds_the_public_signing_key_only(browser):
    (key,) = browser.get("/jwks.json").get_json()["keys"]
    assert key["kty"] == "RSA"
    assert key["use"] == "sig"
    assert key["alg"] == "RS256"
    assert key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_health(browser):
    response = browser.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.mark.parametrize("bank_id", ["kide", "revontuli"])
def test_every_bank_has_its_own_issuer_and_key(make_bank, bank, bank_id):
    other = make_bank(
        bank_id, ISSUER=f"http://127.0.0.1:{ {'kide': 8412, 'revontuli': 8413}[bank_id] }"
    )
    ours = bank.test_client().get("/jwks.json").get_json()["keys"][0]["kid"]
    theirs = other.test_client().get("/jwks.json").get_json()["keys"][0]["kid"]
    assert ours != theirs
    metadata = other.test_client().get("/.well-known/openid-configuration").get_json()
    assert metadata["issuer"] != ISSUER
