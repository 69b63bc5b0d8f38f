"""The bank's own small schema: customers, login transactions, codes, used JWT ids, rate limits.

For a mock bank ``db.create_all()`` at start-up is enough: no migrations, no data to keep
across schema changes (a fresh seed recreates the register).
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .extensions import db


def now() -> int:
    """Unix time in whole seconds: what every expiry column holds."""
    return int(time.time())


class Customer(db.Model):
    """A customer of this bank: login details, identity, scenario and lockout counter."""

    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_number: Mapped[str] = mapped_column(sa.String(8), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))  # argon2id, PHC string format
    totp_secret: Mapped[bytes] = mapped_column(sa.LargeBinary(20))
    subject: Mapped[str] = mapped_column(sa.String(64), unique=True)
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
    birthdate: Mapped[str] = mapped_column(sa.String(10))  # YYYY-MM-DD, as the claim
    hetu: Mapped[str] = mapped_column(sa.String(11), index=True)
    scenario: Mapped[str | None] = mapped_column(sa.String(40))
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[int | None] = mapped_column()

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def is_locked(self, at: int) -> bool:
        return self.locked_until is not None and self.locked_until > at


class LoginTransaction(db.Model):
    """One authorization request being answered: the server-side state of the login screens."""

    __tablename__ = "login_transaction"

    uid: Mapped[str] = mapped_column(sa.String(43), primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(100))
    params: Mapped[dict] = mapped_column(sa.JSON)  # the verified request object's claims
    browser_hash: Mapped[str] = mapped_column(sa.String(64))  # binds the login to one browser
    state: Mapped[str] = mapped_column(sa.String(20))
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customer.id"))
    password_ok: Mapped[bool] = mapped_column(default=False)
    auth_time: Mapped[int | None] = mapped_column()
    created_at: Mapped[int] = mapped_column(default=now)
    expires_at: Mapped[int] = mapped_column()


class AuthorizationCode(db.Model):
    """An issued code, stored hashed, redeemed once within 60 seconds."""

    __tablename__ = "authorization_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # SHA-256, never the code
    client_id: Mapped[str] = mapped_column(sa.String(100))
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customer.id"))
    redirect_uri: Mapped[str] = mapped_column(sa.Text)
    scope: Mapped[str] = mapped_column(sa.Text)
    nonce: Mapped[str] = mapped_column(sa.String(255), index=True)
    code_challenge: Mapped[str] = mapped_column(sa.String(128))
    code_challenge_method: Mapped[str] = mapped_column(sa.String(10))
    acr: Mapped[str] = mapped_column(sa.String(100))
    auth_time: Mapped[int] = mapped_column()
    expires_at: Mapped[int] = mapped_column()
    used_at: Mapped[int | None] = mapped_column()

    # Authlib's AuthorizationCodeMixin, read by the grant and the PKCE extension.
    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


class UsedJwtId(db.Model):
    """A `jti` already seen, kept past the JWT's `exp` so a replay is refused after a restart."""

    __tablename__ = "used_jwt_id"
    __table_args__ = (sa.UniqueConstraint("kind", "client_id", "jti"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # request_object | client_assertion
    client_id: Mapped[str] = mapped_column(sa.String(100))
    jti: Mapped[str] = mapped_column(sa.String(255))
    expires_at: Mapped[int] = mapped_column()


class RateLimitWindow(db.Model):
    """Login posts from one address in one minute; incremented atomically."""

    __tablename__ = "rate_limit_window"

    address: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    minute: Mapped[int] = mapped_column(primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)


def upsert(model: type[db.Model]):
    """The dialect's INSERT, which offers ON CONFLICT on both SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)
