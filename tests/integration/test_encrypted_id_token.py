"""Encrypted ID tokens: signed, then encrypted to the client's key (OIDC Core §10.2)."""

from __future__ import annotations

import pytest
from joserfc import jwe
from joserfc import jwt
from joserfc.jwk import ECKey
from joserfc.jwk import KeySet
from joserfc.jwk import RSAKey

from idp.clients import ClientError
from idp.clients import validate
from idp.storage.models import Token
from tests.conftest import register
from tests.support.checks import count
from tests.support.flow import Flow

RSA_KEY = RSAKey.generate_key(2048, parameters={"use": "enc", "kid": "rsa-enc"}, private=True)
EC_KEY = ECKey.generate_key("P-256", parameters={"use": "enc", "kid": "ec-enc"}, private=True)


def public(key) -> dict:
    return {"keys": [key.as_dict(private=False)]}


@pytest.mark.parametrize(
    ("key", "alg", "enc"),
    [
        (RSA_KEY, "RSA-OAEP", "A128CBC-HS256"),
        (RSA_KEY, "RSA-OAEP-256", "A256GCM"),
        (EC_KEY, "ECDH-ES", "A256GCM"),
    ],
)
def test_id_token_is_signed_then_encrypted_to_the_client(browser, app, key, alg, enc):
    rp = register(
        app,
        client_id="tax-strict",
        name="Tax",
        redirect_uris=["https://tax.example/cb"],
        jwks=public(key),
        id_token_encrypted_response_alg=alg,
        id_token_encrypted_response_enc=enc,
    )
    flow = Flow(browser, rp)
    tokens = flow.code_flow()
    assert tokens["id_token"].count(".") == 4  # JWE compact serialization
    decrypted = jwe.decrypt_compact(tokens["id_token"], key, algorithms=[alg, enc])
    assert decrypted.headers()["cty"] == "JWT"
    assert decrypted.headers()["kid"] == key.kid
    jwks = KeySet.import_key_set(browser.get("/jwks.json").get_json())
    claims = jwt.decode(decrypted.plaintext, jwks, algorithms=["RS256", "ES256"]).claims
    assert claims["aud"] == "tax-strict"
    assert claims["nonce"] == flow.nonce


def test_discovery_advertises_the_encryption_offered(browser):
    metadata = browser.get("/.well-known/openid-configuration").get_json()
    assert metadata["id_token_encryption_alg_values_supported"] == [
        "RSA-OAEP",
        "RSA-OAEP-256",
        "ECDH-ES",
    ]
    assert metadata["id_token_encryption_enc_values_supported"] == ["A128CBC-HS256", "A256GCM"]


def test_a_client_whose_keys_vanished_gets_no_token_rather_than_a_plain_one(browser, app):
    rp = register(
        app,
        client_id="tax-strict",
        name="Tax",
        redirect_uris=["https://tax.example/cb"],
        jwks_uri="http://127.0.0.1:9/jwks.json",
        id_token_encrypted_response_alg="RSA-OAEP",
    )
    flow = Flow(browser, rp)
    flow.authorize()
    response = flow.exchange_code(flow.login_and_consent()["code"])
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id_token_encrypted_response_alg": "RSA1_5", "jwks": public(RSA_KEY)}, "must be one of"),
        ({"id_token_encrypted_response_alg": "RSA-OAEP"}, "exactly one of jwks"),
        ({"id_token_encrypted_response_alg": "ECDH-ES", "jwks": public(RSA_KEY)}, "no EC key"),
        ({"id_token_encrypted_response_enc": "A256GCM"}, "needs id_token_encrypted_response_alg"),
        (
            {
                "id_token_encrypted_response_alg": "RSA-OAEP",
                "id_token_encrypted_response_enc": "A1",
                "jwks": public(RSA_KEY),
            },
            "must be one of",
        ),
        ({"jwks": public(RSA_KEY)}, "encrypted ID tokens"),
    ],
)
def test_encryption_registrations_are_checked(changes, message):
    with pytest.raises(ClientError, match=message):
        validate(
            {
                "client_id": "tax-strict",
                "name": "Tax",
                "redirect_uris": ["https://tax.example/cb"],
                **changes,
            }
        )


def test_userinfo_as_a_signed_jwt_with_iss_and_aud(browser, app):
    rp = register(
        app,
        client_id="tax-strict",
        name="Tax",
        redirect_uris=["https://tax.example/cb"],
        userinfo_signed_response_alg="ES256",
    )
    tokens = Flow(browser, rp).code_flow()
    response = browser.get(
        "/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    jwks = KeySet.import_key_set(browser.get("/jwks.json").get_json())
    claims = jwt.decode(response.get_data(as_text=True), jwks, algorithms=["ES256"]).claims
    assert claims["iss"] == "http://127.0.0.1:8400"
    assert claims["aud"] == "tax-strict"
    assert claims["given_name"] == "Aino"


def test_userinfo_signed_then_encrypted(browser, app):
    rp = register(
        app,
        client_id="tax-strict",
        name="Tax",
        redirect_uris=["https://tax.example/cb"],
        jwks=public(RSA_KEY),
        userinfo_signed_response_alg="RS256",
        userinfo_encrypted_response_alg="RSA-OAEP-256",
    )
    tokens = Flow(browser, rp).code_flow()
    body = browser.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    inner = jwe.decrypt_compact(
        body.get_data(as_text=True), RSA_KEY, algorithms=["RSA-OAEP-256", "A128CBC-HS256"]
    )
    jwks = KeySet.import_key_set(browser.get("/jwks.json").get_json())
    assert jwt.decode(inner.plaintext, jwks, algorithms=["RS256"]).claims["aud"] == "tax-strict"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"userinfo_signed_response_alg": "HS256"}, "RS256 or ES256"),
        (
            {"userinfo_encrypted_response_alg": "RSA-OAEP", "jwks": public(RSA_KEY)},
            "needs a signed",
        ),
        (
            {
                "userinfo_signed_response_alg": "RS256",
                "userinfo_encrypted_response_alg": "RSA-OAEP",
            },
            "exactly one of jwks",
        ),
    ],
)
def test_userinfo_response_registrations_are_checked(changes, message):
    with pytest.raises(ClientError, match=message):
        validate(
            {
                "client_id": "tax-strict",
                "name": "Tax",
                "redirect_uris": ["https://tax.example/cb"],
                **changes,
            }
        )
