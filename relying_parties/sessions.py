"""Server-side browser sessions in the service's own database.

The cookie carries a random 256-bit key; the row is found by the key's SHA-256, so a copy of the
database opens no browser's session. Keeping sessions here, not in a signed cookie, is what lets a
back-channel logout end a browser's login for real: the login is taken out of the row, and a
request already in flight cannot put it back, because a session is saved only if its row still
holds the login (`sid`) it was opened with. What is not the login stays (the language, a login
in progress), so a step-up the broker answers by replacing its session can still finish.
Logging in rotates the key (session fixation, OWASP ASVS V3.2.1).
"""

from __future__ import annotations

import hashlib
import secrets

from flask import Flask
from flask import Request
from flask import Response
from flask.sessions import SessionInterface
from flask.sessions import SessionMixin
from werkzeug.datastructures import CallbackDict

from .extensions import db
from .models import BrowserSession
from .models import now

LOGIN = "login"  # the session key holding the broker login (see views/auth.py)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    """A session dict that knows its row and whether it must move to a new key."""

    def __init__(self, initial: dict | None = None, key: str | None = None, sid: str | None = None):
        def on_update(session: ServerSession) -> None:
            session.modified = True

        super().__init__(initial or {}, on_update)
        self.key = key
        self.loaded_sid = sid  # the login the row held when this request opened it
        self.modified = False
        self.rotate_key = False

    def rotate(self) -> None:
        """Give this session a new key when it is saved; the old row is deleted."""
        self.rotate_key = True
        self.modified = True


class DatabaseSessionInterface(SessionInterface):
    """Flask's session, stored in the `browser_session` table."""

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        key = request.cookies.get(self.get_cookie_name(app))
        if key:
            row = db.session.get(BrowserSession, _hash(key))
            if row is not None and row.expires_at > now():
                return ServerSession(dict(row.data), key, row.sid)
        return ServerSession()

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        name, domain, path = (
            self.get_cookie_name(app),
            self.get_cookie_domain(app),
            self.get_cookie_path(app),
        )
        if not session.modified:
            return
        if session.key and (session.rotate_key or not session):
            db.session.execute(db.delete(BrowserSession).filter_by(key_hash=_hash(session.key)))
            db.session.commit()
            session.key = None
        if not session:
            response.delete_cookie(name, domain=domain, path=path)
            return
        login = session.get(LOGIN) or {}
        values = dict(
            data=dict(session),
            sid=login.get("sid"),
            sub=login.get("sub"),
            expires_at=now() + app.config["SESSION_LIFETIME"],
        )
        if session.key is None:
            session.key = secrets.token_urlsafe(32)
            db.session.add(BrowserSession(key_hash=_hash(session.key), **values))
        else:
            updated = db.session.execute(
                db.update(BrowserSession)
                .where(BrowserSession.key_hash == _hash(session.key), _holds(session.loaded_sid))
                .values(**values)
            ).rowcount
            if updated != 1:  # its login ended meanwhile (a back-channel logout): stays ended
                db.session.rollback()
                return
        db.session.commit()
        response.set_cookie(
            name,
            session.key,
            httponly=self.get_cookie_httponly(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
            domain=domain,
            path=path,
        )


def _holds(sid: str | None):
    return BrowserSession.sid.is_(None) if sid is None else BrowserSession.sid == sid


def end_sessions(sid: str | None, sub: str | None) -> int:
    """Back-Channel Logout 1.0 §2.7: end the logins of a `sid` (else of a `sub`) here."""
    query = db.select(BrowserSession)
    if sid:
        query = query.filter_by(sid=sid)
        if sub:
            query = query.filter_by(sub=sub)
    else:
        query = query.filter_by(sub=sub)
    ended = 0
    for row in db.session.execute(query).scalars().all():
        data = {k: v for k, v in row.data.items() if k != LOGIN}
        ended += db.session.execute(
            db.update(BrowserSession)
            .where(BrowserSession.key_hash == row.key_hash, _holds(row.sid))
            .values(data=data, sid=None, sub=None)
        ).rowcount
    db.session.commit()
    return ended


def sweep() -> int:
    """Delete expired sessions; called when a login starts, so the table stays small."""
    gone = db.session.execute(db.delete(BrowserSession).where(BrowserSession.expires_at <= now()))
    db.session.commit()
    return gone.rowcount
