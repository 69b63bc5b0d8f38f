"""fapi2-security-profile-final-dpop-negative-tests: every malformed proof is refused.

RFC 9449 §4.3: one well-formed JWT (item 2), `typ: dpop+jwt` (4), an asymmetric algorithm
(5), a public `jwk` whose key made the signature (6–7), `htm` and `htu` of this request (8–9),
a recent `iat` (11), `ath` of the presented token (12, §7), and §11.1: each proof once. At /token
the answer is `invalid_dpop_proof` (§5) with nothing issued; at userinfo a 401 with a `DPoP`
challenge (§7.1) and nothing released.
"""

from __future__ import annotations

import time

import pytest

from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token
from tests.support.checks import count

from . import dpop
from .support import callback
from .support import json_error
from .tokens import nothing_issued

BAD_PROOFS = {
    "typ-jwt": lambda: dpop.proof(header={"typ": "JWT"}),
    "no-jwk": lambda: dpop.proof(header={"jwk": None}),
    "private-jwk": lambda: dpop.proof(header={"jwk": dpop.KEY.as_dict(private=True)}),
    "jwk-of-another-key": lambda: dpop.proof(header={"jwk": dpop.OTHER.as_dict(private=False)}),
    "htm-get": lambda: dpop.proof(htm="GET"),
    "htu-elsewhere": lambda: dpop.proof(htu="https://other-op.example/token"),
    "iat-10-minutes-ago": lambda: dpop.proof(iat=int(time.time()) - 600),
    "iat-10-minutes-ahead": lambda: dpop.proof(iat=int(time.time()) + 600),
    "no-jti": lambda: dpop.proof(jti=None),
    "not-a-jwt": lambda: "not-a-jwt",
}


def fresh_code(flow) -> str:
    flow.start()
    flow.login_and_consent()
    return callback(flow.last, flow.state)["code"]


@pytest.mark.parametrize("make", BAD_PROOFS.values(), ids=BAD_PROOFS.keys())
def test_bad_proof_at_token_is_invalid_dpop_proof(dpop_fapi, app, make):
    code = fresh_code(dpop_fapi)
    json_error(dpop_fapi.redeem(code, headers={"DPoP": make()}), 400, "invalid_dpop_proof")
    nothing_issued(app)


def test_replayed_proof_at_token_is_invalid_dpop_proof(dpop_fapi, app):
    first = fresh_code(dpop_fapi)
    first_verifier = dpop_fapi.verifier
    second = fresh_code(dpop_fapi)
    used = dpop.at()
    accepted = dpop_fapi.redeem(first, headers=used, code_verifier=first_verifier)
    assert accepted.status_code == 200, accepted.get_json()
    json_error(dpop_fapi.redeem(second, headers=used), 400, "invalid_dpop_proof")
    assert count(app, Token) == 1  # the second code issued nothing


@pytest.mark.parametrize(
    "claims",
    [{"ath": "x" * 43}, {"htm": "POST"}, {"htu": dpop.TOKEN_URL}],
    ids=["wrong-ath", "wrong-htm", "wrong-htu"],
)
def test_bad_proof_at_userinfo_is_401_with_a_dpop_challenge(dpop_fapi, browser, app, claims):
    token = dpop_fapi.redeem(fresh_code(dpop_fapi), headers=dpop.at()).get_json()["access_token"]
    released = count(app, ReleaseLogEntry)
    made = dpop.proof(
        htm=claims.get("htm", "GET"),
        htu=claims.get("htu", dpop.USERINFO_URL),
        ath=claims.get("ath", dpop.ath(token)),
    )
    response = browser.get("/userinfo", headers={"Authorization": f"DPoP {token}", "DPoP": made})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("DPoP ")
    assert 'error="invalid_dpop_proof"' in response.headers["WWW-Authenticate"]
    assert count(app, ReleaseLogEntry) == released
