"""What the broker keeps about itself: the release log, its signing keys, the logouts it owes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from ..transaction import Model
from .common import JSON
from .common import now


class ReleaseLogEntry(Model):
    """One release of claims; append-only and hash-chained per person."""

    __table_args__ = (sa.UniqueConstraint("person_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    seq: Mapped[int] = mapped_column()
    created_at: Mapped[int] = mapped_column()
    client_id: Mapped[str] = mapped_column(sa.String(100))
    client_name: Mapped[str] = mapped_column(sa.String(40))
    channel: Mapped[str] = mapped_column(sa.String(20))  # "id_token" or "userinfo"
    claims: Mapped[list[str]] = mapped_column(JSON, default=list)
    method: Mapped[str] = mapped_column(sa.String(40))
    acr: Mapped[str] = mapped_column(sa.String(100))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class SigningKey(Model):
    """A signing key; the private part encrypted with KEY_ENCRYPTION_KEY."""

    kid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(sa.String(10))
    state: Mapped[str] = mapped_column(sa.String(10))  # next / current / retired
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    private_jwk_encrypted: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[int] = mapped_column(default=now)
    retired_at: Mapped[int | None] = mapped_column()


class LogoutDelivery(Model):
    """A back-channel logout owed to a service: an outbox row, retried until delivered."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(100))
    session_sid: Mapped[str] = mapped_column(sa.String(43))
    subject: Mapped[str] = mapped_column(sa.String(255))  # the `sub` this service knows
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[int] = mapped_column(index=True)
    delivered_at: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[int] = mapped_column(default=now)
