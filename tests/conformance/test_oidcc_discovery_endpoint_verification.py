"""oidcc-discovery-endpoint-verification: the provider metadata and the JWKS it points to.

OIDC Discovery 1.0 §3 (required members; RS256 among the ID token algorithms; `openid` among
the scopes), §4.2 (a JSON object at /.well-known/openid-configuration), §4.3 (the `issuer` is
exactly the URL the document was derived from), RFC 7517 (the JWKS holds public keys, each with
a `kid`), and the module's check that every endpoint is HTTPS under a production issuer.
"""

from __future__ import annotations

import pytest

from tests.conftest import broker_client

from .support import ISSUER

ENDPOINTS = (
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "revocation_endpoint",
    "end_session_endpoint",
    "pushed_authorization_request_endpoint",
)


def metadata(browser) -> dict:
    response = browser.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_required_members_and_values(browser):
    found = metadata(browser)
    assert found["issuer"] == ISSUER  # §4.3: no trailing slash, the exact origin and path
    for member in ENDPOINTS:
        assert found[member].startswith(ISSUER + "/"), member
    assert "openid" in found["scopes_supported"]
    assert found["response_types_supported"] == ["code"]
    assert set(found["subject_types_supported"]) <= {"public", "pairwise"}
    assert "RS256" in found["id_token_signing_alg_values_supported"]
    assert "none" not in found["id_token_signing_alg_values_supported"]
    assert found["claims_parameter_supported"] is True
    assert {"sub", "iss", "aud"} <= set(found["claims_supported"])
    assert isinstance(found["request_parameter_supported"], bool)


def test_jwks_holds_named_public_signing_keys(browser):
    response = browser.get(metadata(browser)["jwks_uri"].removeprefix(ISSUER))
    assert response.status_code == 200
    assert response.cache_control.max_age  # clients may cache it, for a bounded time
    found = response.get_json()["keys"]
    assert found
    kids = [k["kid"] for k in found]
    assert len(kids) == len(set(kids))  # each kid names one key (RFC 7517 §4.5)
    for key in found:
        assert not {"d", "p", "q", "dp", "dq", "qi", "k"} & set(key)  # public parts only
        assert key.get("use", "sig") == "sig"
        assert key["kty"] in ("RSA", "EC")
    algs = {k.get("alg") for k in found}
    assert {"RS256", "ES256"} <= algs


@pytest.fixture
def production(database):
    """The broker under an https issuer, as it runs outside the demo."""
    with broker_client(database, ISSUER="https://login.example.fi") as client:
        yield client


def test_every_endpoint_is_https_under_an_https_issuer(production):
    found = metadata(production)
    assert found["issuer"] == "https://login.example.fi"
    for member in ENDPOINTS:
        assert found[member].startswith("https://login.example.fi/"), member
