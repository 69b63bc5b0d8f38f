"""fapi2-security-profile-final-ensure-dpopproof-at-par-endpoint-binding-success.

RFC 9449 §10.1: a proof at /par binds the code to its key; a token request proved by the same
key succeeds, and the code and the token carry that key's thumbprint (`cnf.jkt`, §6).
"""

from __future__ import annotations

from idp.storage.models import AuthorizationCode
from idp.storage.models import Token
from tests.support.checks import rows

from . import dpop
from .dpop_codes import bound_code


def test_code_bound_at_par_is_redeemed_with_the_same_key(dpop_fapi, browser, app):
    code = bound_code(dpop_fapi, by_proof=True)
    response = dpop_fapi.redeem(code, headers=dpop.at())
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["token_type"] == "DPoP"
    jkt = dpop.KEY.thumbprint()
    assert [c.dpop_jkt for c in rows(app, AuthorizationCode)] == [jkt]
    assert [t.dpop_jkt for t in rows(app, Token)] == [jkt]
    assert dpop.userinfo(browser, response.get_json()["access_token"]).status_code == 200
