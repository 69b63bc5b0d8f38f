"""oidcc-codereuse-30seconds: a second redemption 30 seconds later also revokes the first tokens.

RFC 6749 §4.1.2 and §10.5; the module's OP-OAuth-2nd-Revokes: after the reuse, the access
token from the first redemption no longer works at userinfo, nor its refresh token at /token.
Thirty seconds pass by moving the code's clock back, still within its 60-second life.
"""

from __future__ import annotations

from idp.storage.models import AuthorizationCode
from idp.storage.models import Token
from tests.support.checks import bearer
from tests.support.checks import count
from tests.support.checks import update

from .support import callback
from .support import json_error


def test_reuse_after_30_seconds_is_refused_and_revokes(flow, browser, rp, app):
    flow.authorize()
    flow.login_and_consent()
    code = callback(flow.last, flow.state)["code"]
    first = flow.exchange_code(code).get_json()
    assert browser.get("/userinfo", headers=bearer(first["access_token"])).status_code == 200
    update(
        app,
        AuthorizationCode,
        used_at=AuthorizationCode.used_at - 30,
        expires_at=AuthorizationCode.expires_at - 30,
    )
    json_error(flow.exchange_code(code), 400, "invalid_grant")
    assert browser.get("/userinfo", headers=bearer(first["access_token"])).status_code == 401
    refreshed = browser.post(
        "/token",
        auth=rp.auth,
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    json_error(refreshed, 400, "invalid_grant")
    assert count(app, Token) == 1
