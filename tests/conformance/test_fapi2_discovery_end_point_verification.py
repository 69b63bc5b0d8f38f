"""fapi2-security-profile-final-discovery-end-point-verification: the metadata a FAPI client needs.

FAPI 2.0 Security Profile §5.3.2.2 (PAR endpoint, RFC 9126 §5), §5.3.2.1 (`private_key_jwt`),
§5.4.1 (assertions signed with PS256 or ES256, never `none`), §5.3.2.2 item 8 (PKCE S256),
RFC 9207 §3 (`authorization_response_iss_parameter_supported`), and only the code response type.
"""

from __future__ import annotations

from .support import ISSUER


def test_metadata_advertises_the_fapi_mechanisms(browser):
    found = browser.get("/.well-known/openid-configuration").get_json()
    assert found["pushed_authorization_request_endpoint"] == ISSUER + "/par"
    assert found["code_challenge_methods_supported"] == ["S256"]
    assert "private_key_jwt" in found["token_endpoint_auth_methods_supported"]
    signing = set(found["token_endpoint_auth_signing_alg_values_supported"])
    assert {"PS256", "ES256"} <= signing and "none" not in signing  # §5.4.1: PS256, ES256
    assert found["authorization_response_iss_parameter_supported"] is True
    assert found["response_types_supported"] == ["code"]
    assert "none" not in found["request_object_signing_alg_values_supported"]
