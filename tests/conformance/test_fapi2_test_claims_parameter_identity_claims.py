"""fapi2-security-profile-final-test-claims-parameter-identity-claims: claims asked by name.

OIDC Core §5.5: identity claims requested in the `id_token` member of `claims` appear in the
ID token once the citizen consents; essential ones cannot be unticked (§5.5.1).
"""

from __future__ import annotations

import json

from .support import validate_id_token


def test_identity_claims_requested_for_the_id_token(fapi, browser):
    asked = {
        "given_name": {"essential": True},
        "family_name": {"essential": True},
        "birthdate": None,
    }
    _, tokens = fapi.complete(scope="openid", claims=json.dumps({"id_token": asked}))
    claims = validate_id_token(browser, tokens["id_token"], fapi.rp.client_id, fapi.nonce)
    assert claims["given_name"] == "Aino"
    assert claims["family_name"] == "Virtanen"
    assert claims["birthdate"] == "1970-01-01"
