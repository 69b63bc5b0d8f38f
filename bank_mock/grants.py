"""The code grant and its FTN rules, filled in at Authlib's override points (STYLE rule 3).

Every rule here runs after the redirect URI is validated, so its error goes back to the client
by redirect, with `state` and `iss` (RFC 6749 §4.1.2.1, RFC 9207).
"""

from __future__ import annotations

import hashlib

from authlib.oauth2.rfc6749 import InvalidGrantError
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc6749 import InvalidScopeError
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7636 import CodeChallenge

from .extensions import db
from .models import AuthorizationCode
from .models import Customer
from .models import now

LOA2 = "http://ftn.ficora.fi/2017/loa2"
LOA3 = "http://ftn.ficora.fi/2017/loa3"
ACR_VALUES = (LOA2, LOA3)
MIN_NONCE_LENGTH = 22  # ≥ 128 bits in URL-safe base64
MAX_SPNAME_LENGTH = 40  # FTN: ftn_spname, the service name shown to the citizen
CODE_LIFETIME = 60  # seconds (ARCHITECTURE §6)


def digest(code: str) -> str:
    """The SHA-256 hex digest under which a code is stored."""
    return hashlib.sha256(code.encode()).hexdigest()


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    """The code grant: codes stored hashed, redeemed atomically, clients on private_key_jwt."""

    TOKEN_ENDPOINT_AUTH_METHODS = ("private_key_jwt",)
    AUTHORIZATION_CODE_LENGTH = 43  # 62^43 ≈ 2^256 (≥ 128 bits, RFC 6749 §10.10)

    def save_authorization_code(self, code: str, request) -> None:
        params = request.payload.data
        db.session.add(
            AuthorizationCode(
                code_hash=digest(code),
                client_id=request.client.client_id,
                customer_id=request.user.id,
                redirect_uri=params["redirect_uri"],
                scope=request.scope,
                nonce=params["nonce"],
                code_challenge=params["code_challenge"],
                code_challenge_method=params["code_challenge_method"],
                acr=params["acr_values"],  # the level reached is the level asked
                auth_time=request.transaction.auth_time,
                expires_at=now() + CODE_LIFETIME,
            )
        )

    def query_authorization_code(self, code: str, client) -> AuthorizationCode | None:
        row = db.session.execute(
            db.select(AuthorizationCode).filter_by(code_hash=digest(code))
        ).scalar_one_or_none()
        if row is None or row.client_id != client.client_id:
            return None
        if row.expires_at <= now() or row.used_at is not None:
            return None
        return row

    def authenticate_user(self, code: AuthorizationCode) -> Customer:
        # Redeem once by an atomic conditional update: of two racing redemptions exactly one
        # changes the row (RFC 6749 §4.1.2).
        redeemed = db.session.execute(
            db.update(AuthorizationCode)
            .where(AuthorizationCode.id == code.id, AuthorizationCode.used_at.is_(None))
            .values(used_at=now())
        ).rowcount
        if redeemed != 1:
            raise InvalidGrantError("The authorization code has already been used.")
        return db.session.get(Customer, code.customer_id)

    def delete_authorization_code(self, code: AuthorizationCode) -> None:
        """Keep the used row until it expires, so a second redemption is recognised."""


class S256Only(CodeChallenge):
    """PKCE for every client, S256 only (RFC 7636 §4.2; Authlib asks it of public clients)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ("S256",)
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("The code_challenge_method must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class FTNRules:
    """The profile's own authorization-request rules, on Authlib's payload hook."""

    def __call__(self, grant) -> None:
        grant.register_hook("after_validate_authorization_request_payload", self.check)

    def check(self, grant, redirect_uri: str) -> None:
        """Raise the first FTN rule the request breaks; its error is redirected."""
        request = grant.request
        data = request.payload.data
        for name, value in getattr(request, "outside_parameters", {}).items():
            if value != data.get(name):  # OIDC Core §6.1
                raise InvalidRequestError(f"'{name}' outside the request object differs.")
        if "openid" not in (data.get("scope") or "").split():
            raise InvalidScopeError("The scope must contain openid.")
        _check_text(data, "state", 1, 2048)
        _check_text(data, "nonce", MIN_NONCE_LENGTH, 255)
        if data.get("acr_values") not in ACR_VALUES:
            raise InvalidRequestError("acr_values must be exactly one of the FTN loa2 or loa3.")
        _check_text(data, "ftn_spname", 1, MAX_SPNAME_LENGTH)
        if "ui_locales" in data and not isinstance(data["ui_locales"], str):
            raise InvalidRequestError("ui_locales must be a string.")


def _check_text(data: dict, name: str, shortest: int, longest: int) -> None:
    value = data.get(name)
    if not isinstance(value, str) or not shortest <= len(value) <= longest:
        raise InvalidRequestError(f"'{name}' must be {shortest} to {longest} characters.")
