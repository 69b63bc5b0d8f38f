"""Client registrations: every rule refuses with a sentence, and nothing half-stored."""

from __future__ import annotations

import pytest
from joserfc.jwk import RSAKey

from idp.clients import ClientError
from idp.clients import validate

PUBLIC_JWKS = {"keys": [RSAKey.generate_key(2048).as_dict(private=False)]}


def entry(**changes) -> dict:
    base = dict(client_id="library", name="City Library", redirect_uris=["https://lib.example/cb"])
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def test_defaults():
    fields = validate(entry())
    assert fields["token_endpoint_auth_method"] == "client_secret_basic"
    assert fields["subject_type"] == "pairwise"
    assert fields["sector_identifier"] == "lib.example"
    assert fields["allowed_scopes"] == ["openid", "profile"]
    assert fields["allowed_claims"] == ["birthdate", "family_name", "given_name", "name"]
    assert fields["id_token_signed_response_alg"] == "RS256"
    assert fields["grant_types"] == ["authorization_code", "refresh_token"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"client_id": "x"}, "client_id"),
        ({"client_id": "has space"}, "client_id"),
        ({"name": "N" * 41}, "1–40"),
        ({"name": ""}, "1–40"),
        ({"redirect_uris": []}, "At least one redirect URI"),
        ({"redirect_uris": ["http://lib.example/cb"]}, "must use https"),
        ({"redirect_uris": ["https://lib.example/cb#frag"]}, "without a fragment"),
        ({"redirect_uris": ["javascript:alert(1)"]}, "absolute http"),
        ({"redirect_uris": "https://lib.example/cb"}, "list of strings"),
        ({"redirect_uris": ["https://a.example/cb", "https://b.example/cb"]}, "sector_identifier"),
        ({"token_endpoint_auth_method": "tls_client_auth"}, "token_endpoint_auth_method"),
        ({"token_endpoint_auth_method": "private_key_jwt"}, "exactly one of jwks or jwks_uri"),
        ({"token_endpoint_auth_method": "private_key_jwt", "jwks": {"keys": []}}, "non-empty"),
        (
            {
                "token_endpoint_auth_method": "private_key_jwt",
                "jwks": {"keys": [RSAKey.generate_key(2048).as_dict(private=True)]},
            },
            "public keys only",
        ),
        ({"jwks": PUBLIC_JWKS}, "encrypted ID tokens"),
        ({"subject_type": "global"}, "subject_type"),
        ({"allowed_scopes": ["profile"]}, "include openid"),
        ({"allowed_scopes": ["openid", "email"]}, "allowed_scopes"),
        ({"allowed_claims": ["shoe_size"]}, "Unknown claim"),
        ({"allowed_scopes": ["openid", "national_id"]}, "national_id_entitled"),
        ({"national_id_entitled": "yes"}, "true or false"),
        ({"id_token_signed_response_alg": "HS256"}, "RS256 or ES256"),
        ({"required_acr": "loa9"}, "required_acr"),
        ({"grant_types": ["refresh_token"]}, "authorization_code"),
        ({"surprise": 1}, "Unknown client setting"),
    ],
)
def test_invalid_registrations_are_refused_with_a_reason(changes, message):
    with pytest.raises(ClientError, match=message):
        validate(entry(**changes))


def test_private_key_jwt_with_inline_public_jwks():
    fields = validate(entry(token_endpoint_auth_method="private_key_jwt", jwks=PUBLIC_JWKS))
    assert fields["jwks"] == PUBLIC_JWKS


def test_loopback_http_is_allowed_for_local_services():
    assert (
        validate(entry(redirect_uris=["http://127.0.0.1:8431/cb"]))["sector_identifier"]
        == "127.0.0.1"
    )


def test_several_hosts_with_a_declared_sector():
    fields = validate(
        entry(
            redirect_uris=["https://a.example/cb", "https://b.example/cb"],
            sector_identifier="tax.example",
        )
    )
    assert fields["sector_identifier"] == "tax.example"


def test_national_id_claim_for_an_entitled_client():
    fields = validate(entry(allowed_scopes=["openid", "national_id"], national_id_entitled=True))
    assert fields["allowed_claims"] == ["urn:oid:1.2.246.21"]
