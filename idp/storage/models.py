"""The broker's tables (ARCHITECTURE §5). Times are Unix seconds; secrets are stored hashed."""

from __future__ import annotations

import time

import sqlalchemy as sa
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749 import TokenMixin
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from ..extensions import db
from ..hashing import matches

JSON = sa.JSON()


def now() -> int:
    return int(time.time())


class CodeAnswers(AuthorizationCodeMixin):
    """Authlib's questions about a code, answered from its columns (the row or a plain read)."""

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

    def get_amr(self) -> list:
        return self.amr


class TokenAnswers(TokenMixin):
    """Authlib's questions about an access token, answered from its columns."""

    def check_client(self, client) -> bool:
        return self.client_id == client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.access_expires_at - self.issued_at

    def is_expired(self) -> bool:
        return self.access_expires_at <= now()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Person(db.Model):
    """A citizen, whatever methods they log in with."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(43), unique=True)  # random; input of every `sub`
    national_id: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    given_name: Mapped[str | None] = mapped_column(sa.String(200))
    family_name: Mapped[str | None] = mapped_column(sa.String(200))
    birthdate: Mapped[str | None] = mapped_column(sa.String(10))  # ISO 8601 YYYY-MM-DD
    created_at: Mapped[int] = mapped_column(default=now)


class ExternalIdentity(db.Model):
    """Who a method says the citizen is: (method, issuer, subject) → person."""

    __table_args__ = (sa.UniqueConstraint("method", "issuer", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(sa.String(40))
    issuer: Mapped[str] = mapped_column(sa.String(255))
    subject: Mapped[str] = mapped_column(sa.String(255))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)


class Client(db.Model, ClientMixin):
    """A relying service's registration, answering Authlib's ClientMixin questions."""

    client_id: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    redirect_uris: Mapped[list] = mapped_column(JSON, default=list)
    post_logout_redirect_uris: Mapped[list] = mapped_column(JSON, default=list)
    token_endpoint_auth_method: Mapped[str] = mapped_column(sa.String(40))
    client_secret_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # client_secret_jwt (RFC 7523 §2.2) needs the secret itself to check the HMAC: kept
    # encrypted with KEY_ENCRYPTION_KEY, only for clients registered with that method.
    client_secret_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    # RFC 9449 §5.2: every access token of this client must be DPoP-bound.
    dpop_bound_access_tokens: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    jwks: Mapped[dict | None] = mapped_column(JSON)
    jwks_uri: Mapped[str | None] = mapped_column(sa.String(500))
    sector_identifier: Mapped[str] = mapped_column(sa.String(255))
    subject_type: Mapped[str] = mapped_column(sa.String(10), default="pairwise")
    allowed_scopes: Mapped[list] = mapped_column(JSON, default=list)
    allowed_claims: Mapped[list] = mapped_column(JSON, default=list)
    national_id_entitled: Mapped[bool] = mapped_column(default=False)
    id_token_signed_response_alg: Mapped[str] = mapped_column(sa.String(10), default="RS256")
    id_token_encrypted_response_alg: Mapped[str | None] = mapped_column(sa.String(20))
    id_token_encrypted_response_enc: Mapped[str | None] = mapped_column(sa.String(20))
    userinfo_signed_response_alg: Mapped[str | None] = mapped_column(sa.String(10))
    userinfo_encrypted_response_alg: Mapped[str | None] = mapped_column(sa.String(20))
    userinfo_encrypted_response_enc: Mapped[str | None] = mapped_column(sa.String(20))
    required_acr: Mapped[str | None] = mapped_column(sa.String(100))
    backchannel_logout_uri: Mapped[str | None] = mapped_column(sa.String(500))
    require_signed_request_object: Mapped[bool] = mapped_column(default=False)  # RFC 9101 §10.5
    require_pushed_authorization_requests: Mapped[bool] = mapped_column(default=False)  # RFC 9126
    grant_types: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[int] = mapped_column(default=now)
    updated_at: Mapped[int] = mapped_column(default=now, onupdate=now)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None  # OIDC Core §3.1.2.1: redirect_uri is required, never defaulted

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(self.allowed_scopes)
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris  # exact match (RFC 9700 §4.1.3)

    def check_client_secret(self, client_secret: str) -> bool:
        return matches(client_secret, self.client_secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == self.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types

    @property
    def client_metadata(self) -> dict:
        return {"post_logout_redirect_uris": self.post_logout_redirect_uris}


class Interaction(db.Model):
    """A login in progress between /authorize and the redirect back (STYLE rule 4)."""

    uid: Mapped[str] = mapped_column(sa.String(43), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # "authorize" or "account"
    client_id: Mapped[str | None] = mapped_column(sa.String(100))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    browser_hash: Mapped[str] = mapped_column(sa.String(64))
    session_sid: Mapped[str | None] = mapped_column(sa.String(43))  # login done in this interaction
    consent: Mapped[dict | None] = mapped_column(JSON)  # {"granted": [...], "requested": [...]}
    created_at: Mapped[int] = mapped_column(default=now)
    expires_at: Mapped[int] = mapped_column(index=True)
    finished_at: Mapped[int | None] = mapped_column()


class LoginSession(db.Model):
    """Server-side single sign-on session; the browser holds only a random token for it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sid: Mapped[str] = mapped_column(sa.String(43), unique=True)  # OIDC `sid`, given to services
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    method: Mapped[str] = mapped_column(sa.String(40))
    acr: Mapped[str] = mapped_column(sa.String(100))
    amr: Mapped[list] = mapped_column(JSON, default=list)
    auth_time: Mapped[int] = mapped_column()
    expires_at: Mapped[int] = mapped_column(index=True)
    ended_at: Mapped[int | None] = mapped_column()


class AuthorizationCode(db.Model, CodeAnswers):
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
    claims: Mapped[list] = mapped_column(JSON, default=list)  # consented claim names
    method: Mapped[str] = mapped_column(sa.String(40))
    acr: Mapped[str] = mapped_column(sa.String(100))
    amr: Mapped[list] = mapped_column(JSON, default=list)
    auth_time: Mapped[int] = mapped_column()
    expires_at: Mapped[int] = mapped_column(index=True)
    used_at: Mapped[int | None] = mapped_column()
    dpop_jkt: Mapped[str | None] = mapped_column(sa.String(43))  # RFC 9449 §10


class Token(db.Model, TokenAnswers):
    """An access token and its optional refresh token, both stored as SHA-256 hashes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(100), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    session_sid: Mapped[str] = mapped_column(sa.String(43))
    code_id: Mapped[int | None] = mapped_column(index=True)
    consent_id: Mapped[int | None] = mapped_column(index=True)
    scope: Mapped[str] = mapped_column(sa.Text)
    claims: Mapped[list] = mapped_column(JSON, default=list)
    method: Mapped[str] = mapped_column(sa.String(40))
    acr: Mapped[str] = mapped_column(sa.String(100))
    amr: Mapped[list] = mapped_column(JSON, default=list)
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


class ConsentGrant(db.Model):
    """A remembered consent: which claims a person lets a service receive."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    client_id: Mapped[str] = mapped_column(sa.String(100))
    requested: Mapped[list] = mapped_column(JSON, default=list)  # what the citizen was asked
    granted: Mapped[list] = mapped_column(JSON, default=list)  # what they let through
    created_at: Mapped[int] = mapped_column(default=now)
    revoked_at: Mapped[int | None] = mapped_column()


class ReleaseLogEntry(db.Model):
    """One release of claims; append-only and hash-chained per person."""

    __table_args__ = (sa.UniqueConstraint("person_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    seq: Mapped[int] = mapped_column()
    created_at: Mapped[int] = mapped_column()
    client_id: Mapped[str] = mapped_column(sa.String(100))
    client_name: Mapped[str] = mapped_column(sa.String(40))
    channel: Mapped[str] = mapped_column(sa.String(20))  # "id_token" or "userinfo"
    claims: Mapped[list] = mapped_column(JSON, default=list)
    method: Mapped[str] = mapped_column(sa.String(40))
    acr: Mapped[str] = mapped_column(sa.String(100))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class SigningKey(db.Model):
    """A signing key; the private part encrypted with KEY_ENCRYPTION_KEY."""

    kid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(sa.String(10))
    state: Mapped[str] = mapped_column(sa.String(10))  # next / current / retired
    public_jwk: Mapped[dict] = mapped_column(JSON)
    private_jwk_encrypted: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[int] = mapped_column(default=now)
    retired_at: Mapped[int | None] = mapped_column()


class PushedRequest(db.Model):
    """An authorization request pushed to /par (RFC 9126), redeemable once at /authorize."""

    uri_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(100))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    expires_at: Mapped[int] = mapped_column(index=True)
    used_at: Mapped[int | None] = mapped_column()


class LogoutDelivery(db.Model):
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


class UpstreamLogin(db.Model):
    """One login at an upstream provider (a bank), from our redirect to its callback."""

    state: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    method: Mapped[str] = mapped_column(sa.String(40))
    interaction_uid: Mapped[str] = mapped_column(sa.String(43))
    nonce: Mapped[str] = mapped_column(sa.String(64))
    code_verifier: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[int] = mapped_column(default=now)
    expires_at: Mapped[int] = mapped_column(index=True)
    used_at: Mapped[int | None] = mapped_column()


class CardChallenge(db.Model):
    """A Web eID challenge: 32 random bytes, bound to one interaction, single use, 5 minutes."""

    challenge: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # base64 as sent
    interaction_uid: Mapped[str] = mapped_column(sa.String(43), index=True)
    created_at: Mapped[int] = mapped_column(default=now)
    expires_at: Mapped[int] = mapped_column(index=True)
    used_at: Mapped[int | None] = mapped_column()


class UsedJti(db.Model):
    """Client assertion identifiers already seen (RFC 7523 §3 item 7: single use)."""

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    expires_at: Mapped[int] = mapped_column(index=True)
