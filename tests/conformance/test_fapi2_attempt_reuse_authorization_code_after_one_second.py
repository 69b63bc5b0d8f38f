"""fapi2-security-profile-final-attempt-reuse-authorization-code-after-one-second.

RFC 6749 §4.1.2 and RFC 9700 §4.5: a code used again a second later is `invalid_grant`, and
the tokens from its first use are revoked.
"""

from __future__ import annotations

from idp.storage.models import AuthorizationCode
from idp.storage.models import Token
from tests.support.checks import bearer
from tests.support.checks import count
from tests.support.checks import update

from .support import json_error
from .tokens import fresh_code


def test_reuse_one_second_later_is_refused_and_revokes(fapi, browser, app):
    code = fresh_code(fapi)
    first = fapi.redeem(code).get_json()
    update(app, AuthorizationCode, used_at=AuthorizationCode.used_at - 1)
    json_error(fapi.redeem(code), 400, "invalid_grant")
    assert count(app, Token) == 1
    assert browser.get("/userinfo", headers=bearer(first["access_token"])).status_code == 401
