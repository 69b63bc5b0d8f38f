"""Relying services' registrations."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from authlib.oauth2.rfc6749 import ClientMixin
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from ...hashing import matches
from ..transaction import Model
from .common import JSON
from .common import now


class Client(Model, ClientMixin):
    """A relying service's registration, answering Authlib's ClientMixin questions."""

    client_id: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    post_logout_redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    token_endpoint_auth_method: Mapped[str] = mapped_column(sa.String(40))
    client_secret_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # client_secret_jwt (RFC 7523 §2.2) needs the secret itself to check the HMAC: kept
    # encrypted with KEY_ENCRYPTION_KEY, only for clients registered with that method.
    client_secret_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    # RFC 9449 §5.2: every access token of this client must be DPoP-bound.
    dpop_bound_access_tokens: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    jwks: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    jwks_uri: Mapped[str | None] = mapped_column(sa.String(500))
    sector_identifier: Mapped[str] = mapped_column(sa.String(255))
    subject_type: Mapped[str] = mapped_column(sa.String(10), default="pairwise")
    allowed_scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    allowed_claims: Mapped[list[str]] = mapped_column(JSON, default=list)
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
    grant_types: Mapped[list[str]] = mapped_column(JSON, default=list)
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
    def client_metadata(self) -> dict[str, list[str]]:
        return {"post_logout_redirect_uris": self.post_logout_redirect_uris}
