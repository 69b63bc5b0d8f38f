"""What the RP-initiated logout modules share: a logged-in service and the session it sees."""

from __future__ import annotations

import time

from joserfc import jwt

from idp.storage.models import LoginSession
from tests.support.checks import count

from .support import ISSUER
from .support import params

LOGGED_OUT = "https://tax.example/logged-out"  # the root fixture's post-logout redirect URI


def live_sessions(app) -> int:
    return count(app, LoginSession, LoginSession.ended_at.is_(None))


def logged_in(flow) -> dict:
    """Log in with remembered consent; the token response."""
    flow.authorize()
    flow.login_and_consent(remember=True)
    return flow.exchange_code(params(flow.last)["code"]).get_json()


def still_logged_in(flow) -> bool:
    """Whether the browser's session answers `prompt=none` with a code."""
    response = flow.authorize(prompt="none")
    return response.status_code == 302 and "code" in params(response)


def foreign_hint(key, **claims) -> str:
    """An ID token hint signed by someone else's key."""
    issued = int(time.time())
    body = {"iss": ISSUER, "aud": "tax", "sub": "someone", "iat": issued, "exp": issued + 300}
    return jwt.encode({"alg": "RS256", "kid": key.kid}, {**body, **claims}, key)


def no_redirect(response) -> str:
    """A page for the citizen, not a redirect anywhere; its text."""
    assert response.status_code == 200, response.status_code
    assert "Location" not in response.headers
    return response.get_data(as_text=True)
