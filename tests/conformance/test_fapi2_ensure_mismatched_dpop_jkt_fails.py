"""fapi2-security-profile-final-ensure-mismatched-dpop-jkt-fails.

RFC 9449 §10.1: with both a DPoP proof and `dpop_jkt` at /par, they must name the same key;
otherwise `invalid_request`, and nothing is stored.
"""

from __future__ import annotations

from . import dpop
from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_proof_and_dpop_jkt_for_different_keys_are_refused(dpop_fapi, app):
    before = snapshot(app)
    response = dpop_fapi.push(
        headers=dpop.at(dpop.PAR_URL, key=dpop.KEY), dpop_jkt=dpop.OTHER.thumbprint()
    )
    json_error(response, 400, "invalid_request")
    assert_unchanged(app, before)
