"""fapi2-security-profile-final-ensure-token-endpoint-fails-with-expired-auth-code.

RFC 6749 §4.1.2 and §5.2: an expired code is `invalid_grant`; the broker's codes live at most
60 seconds (ARCHITECTURE §6).
"""

from __future__ import annotations

from idp.storage.models import AuthorizationCode
from idp.storage.models import now
from tests.support.checks import update

from .support import json_error
from .tokens import fresh_code
from .tokens import nothing_issued


def test_expired_code_is_invalid_grant(fapi, app):
    code = fresh_code(fapi)
    update(app, AuthorizationCode, expires_at=now() - 1)
    json_error(fapi.redeem(code), 400, "invalid_grant")
    nothing_issued(app)
