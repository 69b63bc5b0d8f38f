"""The login session. No other module reads or writes the session cookie.

The browser holds a random token; the server keeps its SHA-256 and the session row, so any node
can serve any request and ending a session is one update. The `sid` given to services is a
different random value: knowing it never lets anyone act as the session.
"""

from __future__ import annotations

from flask import after_this_request
from flask import current_app
from flask import g
from flask import request

from .audit import events
from .authenticators.base import AuthnResult
from .extensions import db
from .hashing import digest
from .hashing import new_secret
from .oidc import backchannel
from .storage.models import LoginSession
from .storage.models import Person
from .storage.models import now

COOKIE = "silta_session"
_CACHE = "_silta_login_session"


def current() -> LoginSession | None:
    """The live login session of this browser, if any (one query, once per request)."""
    if _CACHE not in g:
        token = request.cookies.get(COOKIE)
        row = None
        if token:
            row = db.session.execute(
                db.select(LoginSession).filter_by(token_hash=digest(token))
            ).scalar_one_or_none()
            if row is not None and (row.ended_at is not None or row.expires_at <= now()):
                row = None
        setattr(g, _CACHE, row)
    return getattr(g, _CACHE)


def start(person: Person, result: AuthnResult) -> LoginSession:
    """Start a session for a completed login and set its cookie; the caller commits."""
    previous = current()
    if previous is not None:
        end(previous, reason="replaced", clear_cookie=False)
    token = new_secret(32)
    row = LoginSession(
        sid=new_secret(24),
        token_hash=digest(token),
        person_id=person.id,
        method=result.method,
        acr=result.acr,
        amr=list(result.amr),
        auth_time=result.auth_time,
        expires_at=now() + current_app.config["SESSION_LIFETIME"],
    )
    db.session.add(row)
    setattr(g, _CACHE, row)

    @after_this_request
    def set_cookie(response):
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="Lax",
            path="/",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            max_age=current_app.config["SESSION_LIFETIME"],
        )
        return response

    return row


def end(
    row: LoginSession | None = None, reason: str = "logout", clear_cookie: bool = True
) -> LoginSession | None:
    """End the given or current session and clear the cookie; the caller commits."""
    row = row or current()
    if row is not None and row.ended_at is None:
        row.ended_at = now()
        backchannel.enqueue(row)  # Back-Channel Logout 1.0: every service of the session
        events.emit_on_success(events.SESSION_ENDED, sid=row.sid, reason=reason)
    setattr(g, _CACHE, None)
    if not clear_cookie:
        return row

    @after_this_request
    def clear(response):
        response.delete_cookie(
            COOKIE,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response

    return row
