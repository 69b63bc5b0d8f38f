"""fapi2-security-profile-final-par-without-duplicate-parameters.

RFC 9126 §4: the authorization request after a push carries only `client_id` and `request_uri`;
nothing else is needed, and the login completes with the pushed parameters.
"""

from __future__ import annotations

from .support import callback
from .support import validate_id_token


def test_authorize_with_only_client_id_and_request_uri(fapi, browser):
    request_uri = fapi.push(scope="openid profile").get_json()["request_uri"]
    assert fapi.open(request_uri).status_code == 303
    fapi.login_and_consent()
    tokens = fapi.redeem(callback(fapi.last, fapi.state)["code"]).get_json()
    assert set(tokens["scope"].split()) == {"openid", "profile"}
    validate_id_token(browser, tokens["id_token"], fapi.rp.client_id, fapi.nonce)
