"""The login session. No other module reads or writes the session cookie.

The browser holds a random token; the server keeps its SHA-256 and the session row, so any node
can serve any request and ending a session is one update. The `sid` given to services is a
different random value: knowing it never lets anyone act as the session.
"""

from __future__ import annotations

from blinker import Namespace
from flask import Response
from flask import after_this_request
from flask import current_app
from flask import request

from .audit import events
from .authenticators.base import AuthnResult
from .extensions import db
from .hashing import digest
from .hashing import new_secret
from .storage import sessions as stored
from .storage.models import LiveSession
from .storage.models import LoginSession
from .storage.models import Person
from .storage.models import PersonFacts
from .storage.models import now

COOKIE = "silta_session"
# This request's session and person, read once per request: kept on the request, not on ``g``,
# which outlives a request wherever an application context spans several (a command, a test).
_CACHE = "_silta_login_session"
_PERSON = "_silta_login_person"
_UNREAD = object()

_signals = Namespace()
# Sent with ``session=`` the LoginSession row that has just ended, before the caller commits:
# what a receiver writes commits with it. The protocol owes the session's services their
# back-channel logouts (oidc/backchannel.py subscribes at start-up), so this module never
# imports the protocol.
session_ended = _signals.signal("session-ended")


def current() -> LiveSession | None:
    """The live login session of this browser, if any (one query, once per request)."""
    cached: LiveSession | None = request.environ.get(_CACHE, _UNREAD)
    if cached is not _UNREAD:
        return cached
    token = request.cookies.get(COOKIE)
    found = stored.live(digest(token)) if token else None
    _remember(*(found or (None, None)))
    return found[0] if found else None


def current_person() -> PersonFacts | None:
    """The person of the live session, read with it."""
    current()
    person: PersonFacts | None = request.environ[_PERSON]
    return person


def start(person: Person, result: AuthnResult) -> LiveSession:
    """Start a session for a completed login, or renew this browser's; the caller commits.

    When the person already logged in here re-authenticates (a step-up, `prompt=login`,
    `max_age`), the session and its `sid` go on: OIDC Back-Channel Logout 1.0 §2.1 has the `sid`
    identify the session at the OP, and ending it would log the citizen out of every service,
    the one that asked for the step-up among them. What the login proved is updated, and the
    cookie token is replaced all the same, so a token known before the login is worthless
    after it (session fixation: OWASP's Session Management Cheat Sheet, "renew the session ID
    after any privilege level change"). A different person's login ends the previous session,
    with its back-channel logouts.
    """
    previous = current()
    token = new_secret(32)
    expires_at = now() + current_app.config["SESSION_LIFETIME"]
    row = _stored(previous) if previous is not None and previous.person_id == person.id else None
    if row is not None:
        row.token_hash = digest(token)
        row.method = result.method
        row.acr = result.acr
        row.amr = list(result.amr)
        row.auth_time = result.auth_time
        row.expires_at = expires_at
    else:
        if previous is not None:
            end(previous, reason="replaced", clear_cookie=False)
        row = LoginSession(
            sid=new_secret(24),
            token_hash=digest(token),
            person_id=person.id,
            method=result.method,
            acr=result.acr,
            amr=list(result.amr),
            auth_time=result.auth_time,
            expires_at=expires_at,
        )
        db.session.add(row)
        db.session.flush()  # its id: the INSERT the commit would send, sent now
    live = LiveSession.of(row)
    _remember(live, PersonFacts.of_row(person))

    @after_this_request
    def set_cookie(response: Response) -> Response:
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

    return live


def end(
    session: LiveSession | None = None, reason: str = "logout", clear_cookie: bool = True
) -> None:
    """End the given or current session and clear the cookie; the caller commits."""
    session = session or current()
    row = _stored(session) if session is not None else None
    if row is not None and row.ended_at is None:
        row.ended_at = now()
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's app
        session_ended.send(app, session=row)
        events.emit_on_success(events.SESSION_ENDED, sid=row.sid, reason=reason)
    _remember(None, None)
    if not clear_cookie:
        return

    @after_this_request
    def clear(response: Response) -> Response:
        response.delete_cookie(
            COOKIE,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response


def _remember(session: LiveSession | None, person: PersonFacts | None) -> None:
    request.environ[_CACHE] = session
    request.environ[_PERSON] = person


def _stored(session: LiveSession) -> LoginSession | None:
    """The stored row of a session, to change it (one query, on login and logout only)."""
    return db.session.get(LoginSession, session.id)
