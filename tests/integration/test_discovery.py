"""Provider metadata (OIDC Discovery 1.0 §3–4, RFC 8414) and the JWKS (RFC 7517).

The conformance suite reads the same documents (``oidcc-discovery-endpoint-verification`` in
the Config OP plan; every Basic OP test verifies ID tokens against ``jwks_uri``).
"""

from __future__ import annotations

import pytest
from authlib.oidc.discovery import OpenIDProviderMetadata

from tests.support.flow import LOA2
from tests.support.flow import LOA3

ISSUER = "http://127.0.0.1:8400"
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


@pytest.fixture
def metadata(browser) -> dict:
    response = browser.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    return response.get_json()


def test_metadata_names_the_issuer_and_its_endpoints(metadata):
    assert metadata["issuer"] == ISSUER
    assert metadata["authorization_endpoint"] == ISSUER + "/authorize"
    assert metadata["token_endpoint"] == ISSUER + "/token"
    assert metadata["userinfo_endpoint"] == ISSUER + "/userinfo"
    assert metadata["jwks_uri"] == ISSUER + "/jwks.json"
    assert metadata["revocation_endpoint"] == ISSUER + "/revoke"
    assert metadata["end_session_endpoint"] == ISSUER + "/logout"


def test_every_endpoint_in_the_metadata_is_served(metadata, browser):
    for name in ("authorization_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint"):
        path = metadata[name].removeprefix(ISSUER)
        assert browser.get(path).status_code != 404, name
    for name in ("token_endpoint", "revocation_endpoint"):
        path = metadata[name].removeprefix(ISSUER)
        assert browser.post(path).status_code != 404, name


def test_metadata_states_exactly_what_is_supported(metadata):
    assert metadata["response_types_supported"] == ["code"]
    assert metadata["response_modes_supported"] == ["query", "form_post"]
    assert metadata["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert "pairwise" in metadata["subject_types_supported"]
    assert set(metadata["id_token_signing_alg_values_supported"]) == {"RS256", "ES256"}
    assert "none" not in metadata["id_token_signing_alg_values_supported"]
    assert set(metadata["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
        "client_secret_jwt",  # tests/integration/test_client_secret_jwt.py
        "none",  # public clients only, PKCE-bound (tests/integration/test_public_clients.py)
    }
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert metadata["request_parameter_supported"] is True
    assert metadata["request_object_signing_alg_values_supported"] == [
        "RS256",
        "PS256",
        "ES256",
        "HS256",  # client_secret_jwt clients only
    ]
    assert metadata["dpop_signing_alg_values_supported"] == ["ES256", "PS256"]
    assert metadata["signed_jwks_uri"] == ISSUER + "/jwks.jwt"
    assert metadata["request_uri_parameter_supported"] is False
    assert metadata["pushed_authorization_request_endpoint"] == ISSUER + "/par"
    assert metadata["claims_parameter_supported"] is True


def test_metadata_lists_scopes_claims_and_assurance_levels(metadata):
    assert "openid" in metadata["scopes_supported"]
    assert {"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr"} <= set(
        metadata["claims_supported"]
    )
    assert {"given_name", "family_name", "birthdate", "urn:oid:1.2.246.21"} <= set(
        metadata["claims_supported"]
    )
    assert {LOA2, LOA3} <= set(metadata["acr_values_supported"])


def test_metadata_validates_as_openid_provider_metadata(metadata):
    OpenIDProviderMetadata(metadata).validate()


def test_metadata_with_an_https_issuer_validates_too(browser, app, monkeypatch):
    monkeypatch.setitem(app.config, "ISSUER", "https://silta.example")
    document = browser.get("/.well-known/openid-configuration").get_json()
    assert document["issuer"] == "https://silta.example"
    assert document["token_endpoint"] == "https://silta.example/token"
    OpenIDProviderMetadata(document).validate()


def test_jwks_publishes_an_rs256_and_an_es256_signing_key(browser):
    keys = browser.get("/jwks.json").get_json()["keys"]
    by_alg = {key["alg"]: key for key in keys}
    assert {"RS256", "ES256"} <= set(by_alg)
    assert by_alg["RS256"]["kty"] == "RSA"
    assert by_alg["ES256"]["kty"] == "EC"
    assert by_alg["ES256"]["crv"] == "P-256"


def test_every_published_key_has_a_unique_kid_and_is_for_signing(browser):
    keys = browser.get("/jwks.json").get_json()["keys"]
    kids = [key["kid"] for key in keys]
    assert all(kids) and len(set(kids)) == len(kids)
    assert all(key["use"] == "sig" for key in keys)


def test_jwks_has_no_private_key_members(browser):
    keys = browser.get("/jwks.json").get_json()["keys"]
    assert keys
    for key in keys:
        assert not PRIVATE_MEMBERS & set(key), key["kid"]


@pytest.mark.parametrize("path", ["/.well-known/openid-configuration", "/jwks.json"])
def test_documents_are_public_json_cached_for_five_minutes(browser, path):
    response = browser.get(path)
    assert response.mimetype == "application/json"
    assert response.cache_control.public
    assert response.cache_control.max_age == 300
    assert not response.cache_control.no_store
    assert "Set-Cookie" not in response.headers
