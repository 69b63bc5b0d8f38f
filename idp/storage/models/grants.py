"""What a login grants a service: codes, tokens, consents, pushed requests, spent identifiers.

Each hot row has two shapes: the ORM row, for the requests that change it, and a frozen read
(``StoredCode``, ``AccessToken``, ``RememberedConsent``) that the hot path's statements return
(``storage/codes.py``, ``tokens.py``, ``consents.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Any
from typing import NamedTuple

import sqlalchemy as sa
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin
from authlib.oauth2.rfc6749 import TokenMixin
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from ..transaction import Model
from .common import JSON
from .common import now
from .people import PersonFacts


class CodeAnswers(AuthorizationCodeMixin):
    """Authlib's questions about a code, answered from its columns (the row or a plain read)."""

    if TYPE_CHECKING:  # the columns it reads, declared by the row and the frozen read alike
        redirect_uri: str
        scope: str
        nonce: str
        auth_time: int
        acr: str
        amr: list[str]

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str:
        return self.acr

    def get_amr(self) -> list[str]:
        return list(self.amr)


class TokenAnswers(TokenMixin):
    """Authlib's questions about an access token, answered from its columns."""

    if TYPE_CHECKING:  # the columns it reads, declared by the row and the frozen read alike
        client_id: str
        scope: str
        issued_at: int
        access_expires_at: int
        revoked_at: int | None

    def check_client(self, client: Any) -> bool:
        return bool(self.client_id == client.client_id)

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.access_expires_at - self.issued_at

    def is_expired(self) -> bool:
        return self.access_expires_at <= now()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class AuthorizationCode(Model, CodeAnswers):
    __table_args__ = (sa.Index("ix_code_client_nonce", "client_id", "nonce"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    client_id: Mapped[str] = mapped_column(sa.String(100))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    session_sid: Mapped[str] = mapped_column(sa.String(43))
    consent_id: Mapped[int | None] = mapped_column()
    redirect_uri: Mapped[str] = mapped_column(sa.String(500))
    scope: Mapped[str] = mapped_column(sa.Text)
    nonce: Mapped[str] = mapped_column(sa.String(255))
    code_challenge: Mapped[str] = mapped_column(sa.String(128))
    code_challenge_method: Mapped[str] = mapped_column(sa.String(10))
    claims: Mapped[list[str]] = mapped_column(JSON, default=list)  # consented claim names
    method: Mapped[str] = mapped_column(sa.String(40))
    acr: Mapped[str] = mapped_column(sa.String(100))
    amr: Mapped[list[str]] = mapped_column(JSON, default=list)
    auth_time: Mapped[int] = mapped_column()
    expires_at: Mapped[int] = mapped_column(index=True)
    used_at: Mapped[int | None] = mapped_column()
    dpop_jkt: Mapped[str | None] = mapped_column(sa.String(43))  # RFC 9449 §10


@dataclass(frozen=True)
class StoredCode(CodeAnswers):
    """An authorization code as stored (Authlib's AuthorizationCodeMixin), with its person."""

    id: int
    client_id: str
    person_id: int
    session_sid: str
    consent_id: int | None
    redirect_uri: str
    scope: str
    nonce: str
    code_challenge: str
    code_challenge_method: str
    claims: list[str]
    method: str
    acr: str
    amr: list[str]
    auth_time: int
    expires_at: int
    used_at: int | None
    dpop_jkt: str | None
    person: PersonFacts


class Token(Model, TokenAnswers):
    """An access token and its optional refresh token, both stored as SHA-256 hashes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(100), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    session_sid: Mapped[str] = mapped_column(sa.String(43))
    code_id: Mapped[int | None] = mapped_column(index=True)
    consent_id: Mapped[int | None] = mapped_column(index=True)
    scope: Mapped[str] = mapped_column(sa.Text)
    claims: Mapped[list[str]] = mapped_column(JSON, default=list)
    method: Mapped[str] = mapped_column(sa.String(40))
    acr: Mapped[str] = mapped_column(sa.String(100))
    amr: Mapped[list[str]] = mapped_column(JSON, default=list)
    auth_time: Mapped[int] = mapped_column()
    access_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    issued_at: Mapped[int] = mapped_column(default=now)
    access_expires_at: Mapped[int] = mapped_column()
    refresh_expires_at: Mapped[int | None] = mapped_column()
    revoked_at: Mapped[int | None] = mapped_column()
    family_id: Mapped[str | None] = mapped_column(sa.String(32), index=True)  # one code's lineage
    rotated_at: Mapped[int | None] = mapped_column()  # its refresh token was exchanged
    dpop_jkt: Mapped[str | None] = mapped_column(sa.String(43))  # RFC 9449 §6 cnf.jkt

    def is_refresh_usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.refresh_expires_at is not None
            and self.refresh_expires_at > now()
        )


@dataclass(frozen=True)
class AccessToken(TokenAnswers):
    """An access token as stored (Authlib's TokenMixin, read-only), with its person."""

    id: int
    client_id: str
    scope: str
    claims: list[str]
    method: str
    acr: str
    issued_at: int
    access_expires_at: int
    revoked_at: int | None
    dpop_jkt: str | None
    person: PersonFacts


class ConsentGrant(Model):
    """A remembered consent: which claims a person lets a service receive."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    client_id: Mapped[str] = mapped_column(sa.String(100))
    requested: Mapped[list[str]] = mapped_column(JSON, default=list)  # what the citizen was asked
    granted: Mapped[list[str]] = mapped_column(JSON, default=list)  # what they let through
    created_at: Mapped[int] = mapped_column(default=now)
    revoked_at: Mapped[int | None] = mapped_column()


class RememberedConsent(NamedTuple):
    """The active grant as /authorize reads it on every single sign-on."""

    id: int
    requested: list[str]
    granted: list[str]


class PushedRequest(Model):
    """An authorization request pushed to /par (RFC 9126), redeemable once at /authorize."""

    uri_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(100))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[int] = mapped_column(index=True)
    used_at: Mapped[int | None] = mapped_column()


class UsedJti(Model):
    """Client assertion identifiers already seen (RFC 7523 §3 item 7: single use)."""

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    expires_at: Mapped[int] = mapped_column(index=True)
