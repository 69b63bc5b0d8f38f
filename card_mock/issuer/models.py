"""The authority's register: holders, cards, the issuance journal, reset authorisations, logs.

A mock authority's small schema: ``db.create_all()`` at start-up, no migrations. Times are Unix
seconds, so expiry checks are plain integer comparisons inside one UPDATE.
"""

from __future__ import annotations

import time
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .extensions import db

ACTIVE, REVOKED, LOST = "active", "revoked", "lost"
CARD_STATUSES = (ACTIVE, REVOKED, LOST)

# The issuance journal's states (issuance.py): journaled → signed → issued, or → rolled_back.
JOURNALED, SIGNED, ISSUED, ROLLED_BACK = "journaled", "signed", "issued", "rolled_back"


def now() -> int:
    """Unix time in whole seconds: what every time column holds."""
    return int(time.time())


class Holder(db.Model):
    """A person the authority has identified and may issue cards to."""

    __tablename__ = "holder"

    id: Mapped[int] = mapped_column(primary_key=True)
    eid: Mapped[str] = mapped_column(sa.String(10), unique=True)  # eid.py
    national_id: Mapped[str] = mapped_column(sa.String(11), unique=True)  # HETU
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
    birthdate: Mapped[date] = mapped_column(sa.Date)


class Card(db.Model):
    """A fully issued card: its certificate and its status."""

    __tablename__ = "card"

    serial: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("holder.id"), index=True)
    certificate: Mapped[bytes] = mapped_column(sa.LargeBinary)  # DER
    certificate_serial: Mapped[str] = mapped_column(sa.String(40), unique=True)  # hex
    key_algorithm: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(10), default=ACTIVE)
    issued_at: Mapped[int] = mapped_column()
    revoked_at: Mapped[int | None] = mapped_column()


class Issuance(db.Model):
    """The durable record of one issuance attempt, written before each irreversible step."""

    __tablename__ = "issuance"

    serial: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("holder.id"), index=True)
    key_algorithm: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[str] = mapped_column(sa.String(12), index=True)
    certificate: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    certificate_serial: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    started_at: Mapped[int] = mapped_column()
    finished_at: Mapped[int | None] = mapped_column()


class ResetAuthorisation(db.Model):
    """An official's authorisation to reset one card's PIN, redeemable once with its code."""

    __tablename__ = "reset_authorisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_serial: Mapped[str] = mapped_column(sa.ForeignKey("card.serial"), index=True)
    official_id: Mapped[str] = mapped_column(sa.String(64))
    code_hash: Mapped[str] = mapped_column(sa.String(200))  # argon2id; the code is never stored
    created_at: Mapped[int] = mapped_column()
    expires_at: Mapped[int] = mapped_column()
    used_at: Mapped[int | None] = mapped_column()


class ApiCall(db.Model):
    """One call to the verifier API: who, what, the answer. Never a credential."""

    __tablename__ = "api_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[int] = mapped_column(index=True)
    verifier_id: Mapped[str | None] = mapped_column(sa.String(64))
    endpoint: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[int] = mapped_column()
    address: Mapped[str | None] = mapped_column(sa.String(64))


class RateLimitWindow(db.Model):
    """Requests counted per client address, bucket and minute."""

    __tablename__ = "rate_limit_window"

    address: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    bucket: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    minute: Mapped[int] = mapped_column(primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)


def upsert(model: type[db.Model]):
    """The dialect's INSERT, which offers ON CONFLICT on both SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)
