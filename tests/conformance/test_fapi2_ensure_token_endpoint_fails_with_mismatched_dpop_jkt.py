"""fapi2-security-profile-final-ensure-token-endpoint-fails-with-mismatched-dpop-jkt.

RFC 9449 §10: a code bound to a key by `dpop_jkt` at /par (§10) is redeemed only with a proof by
that key; another key's proof is `invalid_grant`, nothing is issued, the code is not spent.
"""

from __future__ import annotations

from . import dpop
from .dpop_codes import bound_code
from .support import json_error
from .tokens import nothing_issued


def test_proof_by_another_key_is_invalid_grant(dpop_fapi, app):
    code = bound_code(dpop_fapi, by_proof=False)
    json_error(dpop_fapi.redeem(code, headers=dpop.at(key=dpop.OTHER)), 400, "invalid_grant")
    nothing_issued(app)
