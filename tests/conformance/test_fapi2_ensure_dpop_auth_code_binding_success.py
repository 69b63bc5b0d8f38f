"""fapi2-security-profile-final-ensure-dpop-auth-code-binding-success.

RFC 9449 §10: `dpop_jkt` in the (pushed) authorization request binds the code; the token
request proved by that key succeeds and yields a DPoP-bound token.
"""

from __future__ import annotations

from . import dpop
from .dpop_codes import bound_code


def test_code_bound_by_dpop_jkt_is_redeemed_with_its_key(dpop_fapi, browser):
    code = bound_code(dpop_fapi, by_proof=False)
    response = dpop_fapi.redeem(code, headers=dpop.at())
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["token_type"] == "DPoP"
    assert dpop.userinfo(browser, response.get_json()["access_token"]).status_code == 200
