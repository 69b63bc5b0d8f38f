"""Client registrations: every rule refuses with a sentence, and nothing half-stored."""

from __future__ import annotations

import pytest
from joserfc.jwk import RSAKey

from idp.clients import ClientError
from idp.clients import checks
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


# Every named check (idp/clients/checks.py), with a registration that breaks it and nothing else
# before it: the table is the rule book, row for row.
BREACHES = [
    ("known_settings", {"surprise": 1}),
    ("client_id", {"client_id": "x"}),
    ("name", {"name": ""}),
    ("redirect_uris_listed", {"redirect_uris": "https://lib.example/cb"}),
    ("redirect_uris", {"redirect_uris": ["http://lib.example/cb"]}),
    ("redirect_uri_given", {"redirect_uris": []}),
    ("post_logout_redirect_uris", {"post_logout_redirect_uris": ["ftp://lib.example/"]}),
    ("backchannel_logout_uri", {"backchannel_logout_uri": "https://lib.example/#x"}),
    ("token_endpoint_auth_method", {"token_endpoint_auth_method": "tls_client_auth"}),
    ("userinfo_signed_response_alg", {"userinfo_signed_response_alg": "HS256"}),
    ("userinfo_encrypted_response_alg", {"userinfo_encrypted_response_alg": "RSA-OAEP"}),
    (
        "userinfo_encrypted_response_enc",
        {"userinfo_signed_response_alg": "RS256", "userinfo_encrypted_response_enc": "A256GCM"},
    ),
    ("id_token_encrypted_response_enc_needs_alg", {"id_token_encrypted_response_enc": "A256GCM"}),
    ("id_token_encrypted_response_alg", {"id_token_encrypted_response_alg": "RSA1_5"}),
    (
        "id_token_encrypted_response_enc",
        {"id_token_encrypted_response_alg": "RSA-OAEP", "id_token_encrypted_response_enc": "A1"},
    ),
    ("flags", {"dpop_bound_access_tokens": "yes"}),
    ("keys", {"token_endpoint_auth_method": "private_key_jwt"}),
    (
        "encryption_key",
        {
            "id_token_encrypted_response_alg": "ECDH-ES",
            "jwks": PUBLIC_JWKS,  # an RSA key only
        },
    ),
    ("sector_identifier", {"redirect_uris": ["https://a.example/cb", "https://b.example/cb"]}),
    ("subject_type", {"subject_type": "global"}),
    ("allowed_scopes_listed", {"allowed_scopes": "openid"}),
    ("allowed_scopes", {"allowed_scopes": ["profile"]}),
    ("allowed_claims", {"allowed_claims": ["shoe_size"]}),
    ("national_id_entitled", {"national_id_entitled": "yes"}),
    (
        "public_client_not_entitled",
        {"token_endpoint_auth_method": "none", "national_id_entitled": True},
    ),
    ("national_id_needs_entitlement", {"allowed_scopes": ["openid", "national_id"]}),
    ("id_token_signed_response_alg", {"id_token_signed_response_alg": "HS256"}),
    ("required_acr", {"required_acr": "loa9"}),
    ("client_secret", {"client_secret": "short"}),
    ("grant_types_listed", {"grant_types": "authorization_code"}),
    ("grant_types", {"grant_types": ["refresh_token"]}),
]


@pytest.mark.parametrize(("check", "changes"), BREACHES, ids=[row[0] for row in BREACHES])
def test_each_check_refuses_its_own_breach(check, changes):
    with pytest.raises(ClientError) as refused:
        validate(entry(**changes))
    assert refused.value.check == check, str(refused.value)


def test_the_table_has_a_row_for_every_check_in_order():
    assert [row[0] for row in BREACHES] == [c.name for c in checks.CHECKS]


def test_a_registration_meeting_every_check_fails_none():
    assert checks.first_failure(entry()) is None
