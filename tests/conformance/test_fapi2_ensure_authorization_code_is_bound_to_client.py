"""fapi2-security-profile-final-ensure-authorization-code-is-bound-to-client.

RFC 6749 §4.1.3: the code was issued to the authenticated client, or the request is
`invalid_grant`; another client's attempt neither issues nor spends it.
"""

from __future__ import annotations

from joserfc.jwk import RSAKey

from tests.conftest import register

from .fapi import FapiFlow
from .fapi import public_jwks
from .support import json_error
from .tokens import fresh_code
from .tokens import nothing_issued


def test_code_redeemed_by_another_client_is_invalid_grant(fapi, browser, app):
    other_key = RSAKey.generate_key(2048, parameters={"kid": "second"}, private=True)
    other = register(
        app,
        client_id="fapi-two",
        name="Second Service",
        redirect_uris=["https://fapi.example/cb"],
        token_endpoint_auth_method="private_key_jwt",
        jwks=public_jwks(other_key),
    )
    code = fresh_code(fapi)
    thief = FapiFlow(browser, other, key=other_key)
    thief.verifier = fapi.verifier  # even knowing the verifier
    json_error(thief.redeem(code), 400, "invalid_grant")
    nothing_issued(app)
    assert fapi.redeem(code).status_code == 200  # the rightful client still can
