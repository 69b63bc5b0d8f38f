"""oidcc-codereuse: a code redeemed twice is refused, and what it issued is revoked.

RFC 6749 §4.1.2: the code MUST NOT be used more than once; on a second use the server MUST deny
the request and SHOULD revoke all tokens issued from it. §5.2: `invalid_grant`, as JSON.
"""

from __future__ import annotations

from idp.storage.models import Token
from tests.support.checks import bearer
from tests.support.checks import count

from .support import callback
from .support import json_error


def test_second_redemption_is_invalid_grant_and_revokes_the_first_tokens(flow, browser, app):
    flow.authorize()
    flow.login_and_consent()
    code = callback(flow.last, flow.state)["code"]
    first = flow.exchange_code(code).get_json()
    json_error(flow.exchange_code(code), 400, "invalid_grant")
    assert count(app, Token) == 1  # nothing new issued
    assert count(app, Token, Token.revoked_at.is_(None)) == 0
    answer = browser.get("/userinfo", headers=bearer(first["access_token"]))
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
