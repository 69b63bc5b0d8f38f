"""fapi2-security-profile-final-ensure-dpopproof-with-iat-10seconds-after-succeeds.

RFC 9449 §11.1: the server accepts proofs within a window around its clock; 10 seconds after
now is inside it (SILTA_DPOP_PROOF_WINDOW, 60 s by default).
"""

from __future__ import annotations

import time

from . import dpop
from .support import callback


def test_proof_10_seconds_after_now_is_accepted(dpop_fapi, browser):
    dpop_fapi.start()
    dpop_fapi.login_and_consent()
    code = callback(dpop_fapi.last, dpop_fapi.state)["code"]
    iat = int(time.time()) + 10
    response = dpop_fapi.redeem(code, headers=dpop.at(iat=iat))
    assert response.status_code == 200, response.get_json()
    token = response.get_json()["access_token"]
    assert dpop.userinfo(browser, token, iat=iat).status_code == 200
