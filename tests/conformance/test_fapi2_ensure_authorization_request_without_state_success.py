"""fapi2-security-profile-final-ensure-authorization-request-without-state-success.

RFC 6749 §4.1.1: `state` is RECOMMENDED, not required (PKCE protects the flow, FAPI 2.0 §5.3.2.2);
the response then carries no `state`.
"""

from __future__ import annotations

from .support import callback
from .support import validate_id_token


def test_request_without_state_succeeds(fapi, browser):
    fapi.start(state=None)
    fapi.login_and_consent()
    code = callback(fapi.last, None)["code"]
    tokens = fapi.redeem(code).get_json()
    validate_id_token(browser, tokens["id_token"], fapi.rp.client_id, fapi.nonce)
