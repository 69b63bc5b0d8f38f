"""The token-endpoint modules' common start: a FAPI login up to a fresh code."""

from __future__ import annotations

from idp.storage.models import AuthorizationCode
from idp.storage.models import Token
from tests.support.checks import count
from tests.support.checks import rows

from .support import callback


def fresh_code(fapi) -> str:
    fapi.start()
    fapi.login_and_consent()
    return callback(fapi.last, fapi.state)["code"]


def nothing_issued(app) -> None:
    """No token, and no code spent: the client may still redeem it properly."""
    assert count(app, Token) == 0
    assert all(code.used_at is None for code in rows(app, AuthorizationCode))
