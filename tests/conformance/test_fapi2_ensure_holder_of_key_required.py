"""fapi2-security-profile-final-ensure-holder-of-key-required: no sender constraint, no token.

FAPI 2.0 §5.3.2.2 item 5 (sender-constrained tokens) and RFC 9449 §5.2: a client registered
with `dpop_bound_access_tokens` must prove a key at /token (`invalid_dpop_proof`, nothing
issued); §7.2: its token presented as a bearer token at userinfo is `invalid_token`.
"""

from __future__ import annotations

from idp.storage.models import ReleaseLogEntry
from tests.support.checks import bearer
from tests.support.checks import count

from . import dpop
from .support import callback
from .support import json_error
from .tokens import nothing_issued


def fresh_code(flow) -> str:
    flow.start()
    flow.login_and_consent()
    return callback(flow.last, flow.state)["code"]


def test_token_request_without_a_proof_is_refused(dpop_fapi, app):
    code = fresh_code(dpop_fapi)
    json_error(dpop_fapi.redeem(code), 400, "invalid_dpop_proof")
    nothing_issued(app)


def test_bound_token_as_bearer_is_invalid_token(dpop_fapi, browser, app):
    code = fresh_code(dpop_fapi)
    token = dpop_fapi.redeem(code, headers=dpop.at()).get_json()["access_token"]
    released = count(app, ReleaseLogEntry)
    response = browser.get("/userinfo", headers=bearer(token))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert count(app, ReleaseLogEntry) == released
