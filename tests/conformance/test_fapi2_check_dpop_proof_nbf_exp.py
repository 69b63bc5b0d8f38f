"""fapi2-security-profile-final-check-dpop-proof-nbf-exp: proofs may carry `nbf` and `exp`.

RFC 9449 §4.2 allows other claims; a proof with `nbf` = now and `exp` five minutes ahead is
accepted at /token and at /userinfo, and the token is DPoP-bound (§5: `token_type: DPoP`).
"""

from __future__ import annotations

import time

from . import dpop
from .support import callback
from .support import validate_id_token


def test_proofs_with_nbf_and_exp_are_accepted(dpop_fapi, browser):
    now = int(time.time())
    dpop_fapi.start()
    dpop_fapi.login_and_consent()
    code = callback(dpop_fapi.last, dpop_fapi.state)["code"]
    response = dpop_fapi.redeem(code, headers=dpop.at(nbf=now, exp=now + 300))
    assert response.status_code == 200, response.get_json()
    tokens = response.get_json()
    assert tokens["token_type"] == "DPoP"
    claims = validate_id_token(browser, tokens["id_token"], dpop_fapi.rp.client_id, dpop_fapi.nonce)
    info = dpop.userinfo(browser, tokens["access_token"], nbf=now, exp=now + 300)
    assert info.status_code == 200
    assert info.get_json()["sub"] == claims["sub"]
