"""oidcc-ensure-client-assertion-with-iss-aud-succeeds: `private_key_jwt` with `aud` = issuer.

OIDC Core §9 (as amended for the 2025 audience-injection fix) and RFC 7523 §3 item 3: the
issuer identifier is an accepted audience of a client assertion at the token endpoint.
"""

from __future__ import annotations

from .support import ISSUER
from .support import callback
from .support import validate_id_token


def test_assertion_with_the_issuer_as_audience_is_accepted(signer, browser):
    signer.authorize()
    signer.login_and_consent()
    code = callback(signer.last, signer.state)["code"]
    response = signer.redeem(code, auth=signer.client_auth(aud=ISSUER))
    assert response.status_code == 200, response.get_json()
    tokens = response.get_json()
    validate_id_token(browser, tokens["id_token"], signer.rp.client_id, signer.nonce)
