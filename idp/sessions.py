"""The login session. No other module reads or writes the session cookie.

The browser holds a random token; the server keeps its SHA-256 and the session row, so any node
can serve any request and ending a session is one update. The `sid` given to services is a
different random value: knowing it never lets anyone act as the session.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
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
from .oidc.stored import PersonFacts
from .storage import queries
from .storage.fast import FastStatement
from .storage.models import LoginSession
from .storage.models import Person
from .storage.models import now

COOKIE = "silta_session"
_CACHE = "_silta_login_session"
_PERSON = "_silta_login_person"


@dataclass(frozen=True)
class LiveSession:
    """A live session as read for this request; ``start`` and ``end`` change the stored row."""

    id: int
    sid: str
    person_id: int
    method: str
    acr: str
    amr: list
    auth_time: int
    expires_at: int
    ended_at: int | None = None


_SESSION_FIELDS = list(LiveSession.__dataclass_fields__)
# Every request with a session cookie reads it, single sign-on above all: the session and its
# person in one Core statement, built once per process.
_BY_TOKEN = FastStatement(
    sa.select(
        *(LoginSession.__table__.c[f] for f in _SESSION_FIELDS),
        Person.uid,
        Person.national_id,
        Person.given_name,
        Person.family_name,
        Person.birthdate,
    )
    .join(Person, Person.id == LoginSession.person_id)
    .where(LoginSession.token_hash == sa.bindparam("token_hash"))
)


def current() -> LiveSession | LoginSession | None:
    """The live login session of this browser, if any (one query, once per request)."""
    if _CACHE not in g:
        token = request.cookies.get(COOKIE)
        found = None
        if token:
            found = _BY_TOKEN.first(queries.connection(), {"token_hash": digest(token)})
            if found is not None and (found.ended_at is not None or found.expires_at <= now()):
                found = None
        live = LiveSession(**{f: getattr(found, f) for f in _SESSION_FIELDS}) if found else None
        setattr(g, _CACHE, live)
        setattr(g, _PERSON, PersonFacts.of(found) if found else None)
    return getattr(g, _CACHE)


def current_person() -> PersonFacts | None:
    """The person of the live session, read with it."""
    current()
    return getattr(g, _PERSON)


def start(person: Person, result: AuthnResult) -> LoginSession:
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
    if previous is not None and previous.person_id == person.id:
        row = _stored(previous)
        row.token_hash = digest(token)
        row.method = result.method
        row.acr = result.acr
        row.amr = list(result.amr)
        row.auth_time = result.auth_time
        row.expires_at = now() + current_app.config["SESSION_LIFETIME"]
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
            expires_at=now() + current_app.config["SESSION_LIFETIME"],
        )
        db.session.add(row)
    setattr(g, _CACHE, row)
    setattr(
        g,
        _PERSON,
        PersonFacts(
            person.id,
            person.uid,
            person.national_id,
            person.given_name,
            person.family_name,
            person.birthdate,
        ),
    )

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
    row: LiveSession | LoginSession | None = None,
    reason: str = "logout",
    clear_cookie: bool = True,
) -> LoginSession | None:
    """End the given or current session and clear the cookie; the caller commits."""
    row = _stored(row or current())
    if row is not None and row.ended_at is None:
        row.ended_at = now()
        backchannel.enqueue(row)  # Back-Channel Logout 1.0: every service of the session
        events.emit_on_success(events.SESSION_ENDED, sid=row.sid, reason=reason)
    setattr(g, _CACHE, None)
    setattr(g, _PERSON, None)
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


def _stored(session: LiveSession | LoginSession | None) -> LoginSession | None:
    """The stored row of a session, to change it (one query, on login and logout only)."""
    if isinstance(session, LiveSession):
        return db.session.get(LoginSession, session.id)
    return session
