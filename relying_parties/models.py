"""A service's own tables: browser sessions, spent logout tokens, and each service's records.

The schema is small and private to the demo service, so it is made with create_all at start-up
(no migrations), as the mock banks do. Times are Unix seconds.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .extensions import db


def now() -> int:
    return int(time.time())


class BrowserSession(db.Model):
    """A server-side browser session; the cookie holds only a random key, stored here hashed.

    `sid` and `sub` copy the broker login the session holds, so a back-channel logout can find
    and end it (Back-Channel Logout 1.0 §2.7).
    """

    key_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    data: Mapped[dict] = mapped_column(sa.JSON)
    sid: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    sub: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    expires_at: Mapped[int] = mapped_column(index=True)


class SpentLogoutToken(db.Model):
    """A logout token's `jti`, kept until the token expires: each is accepted once (§2.6)."""

    jti: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    expires_at: Mapped[int] = mapped_column(index=True)


class Application(db.Model):
    """A one-off payment application: at most one per person (their pairwise `sub`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sub: Mapped[str] = mapped_column(sa.String(200), unique=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    applicant_name: Mapped[str] = mapped_column(sa.String(400))
    created_at: Mapped[int] = mapped_column(default=now)

    @property
    def number(self) -> str:
        return f"OP-{self.id:06d}"


class ResidentAddress(db.Model):
    """The registered address of a resident, changed only with high assurance."""

    sub: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    street: Mapped[str] = mapped_column(sa.String(200))
    postal_code: Mapped[str] = mapped_column(sa.String(5))
    city: Mapped[str] = mapped_column(sa.String(100))
    changed_at: Mapped[int] = mapped_column(default=now)
    changed_with_acr: Mapped[str] = mapped_column(sa.String(100))
