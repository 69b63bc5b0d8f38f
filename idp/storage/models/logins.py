"""Logins in progress and done: interactions, sessions, and the methods' single-use steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from ..transaction import Model
from .common import JSON
from .common import now


class Interaction(Model):
    """A login in progress between /authorize and the redirect back (STYLE rule 4)."""

    uid: Mapped[str] = mapped_column(sa.String(43), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # "authorize" or "account"
    client_id: Mapped[str | None] = mapped_column(sa.String(100))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    browser_hash: Mapped[str] = mapped_column(sa.String(64))
    session_sid: Mapped[str | None] = mapped_column(sa.String(43))  # login done in this interaction
    # {"granted": [...], "grant_id": id or None}: the consent given in this interaction
    consent: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What the protocol asks of the screens now (interaction/prompt.py), where the browser goes
    # when they are done (the route that resumes the protocol), and why the citizen declined.
    prompt: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    return_to: Mapped[str | None] = mapped_column(sa.String(200))
    denied: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[int] = mapped_column(default=now)
    expires_at: Mapped[int] = mapped_column(index=True)
    finished_at: Mapped[int | None] = mapped_column()


class LoginSession(Model):
    """Server-side single sign-on session; the browser holds only a random token for it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sid: Mapped[str] = mapped_column(sa.String(43), unique=True)  # OIDC `sid`, given to services
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    method: Mapped[str] = mapped_column(sa.String(40))
    acr: Mapped[str] = mapped_column(sa.String(100))
    amr: Mapped[list[str]] = mapped_column(JSON, default=list)
    auth_time: Mapped[int] = mapped_column()
    expires_at: Mapped[int] = mapped_column(index=True)
    ended_at: Mapped[int | None] = mapped_column()


@dataclass(frozen=True)
class LiveSession:
    """A live session as this request read it; ``sessions.start`` and ``end`` change the row."""

    id: int
    sid: str
    person_id: int
    method: str
    acr: str
    amr: tuple[str, ...]
    auth_time: int
    expires_at: int

    @classmethod
    def of(cls, row: Any) -> LiveSession:
        """From a read of the row's columns, or from the row itself."""
        return cls(
            row.id,
            row.sid,
            row.person_id,
            row.method,
            row.acr,
            tuple(row.amr),
            row.auth_time,
            row.expires_at,
        )


class UpstreamLogin(Model):
    """One login at an upstream provider (a bank), from our redirect to its callback."""

    state: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    method: Mapped[str] = mapped_column(sa.String(40))
    interaction_uid: Mapped[str] = mapped_column(sa.String(43))
    nonce: Mapped[str] = mapped_column(sa.String(64))
    code_verifier: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[int] = mapped_column(default=now)
    expires_at: Mapped[int] = mapped_column(index=True)
    used_at: Mapped[int | None] = mapped_column()


class CardChallenge(Model):
    """A Web eID challenge: 32 random bytes, bound to one interaction, single use, 5 minutes."""

    challenge: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # base64 as sent
    interaction_uid: Mapped[str] = mapped_column(sa.String(43), index=True)
    created_at: Mapped[int] = mapped_column(default=now)
    expires_at: Mapped[int] = mapped_column(index=True)
    used_at: Mapped[int | None] = mapped_column()
