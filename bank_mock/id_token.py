"""The ID token: signed RS256 by the bank, then encrypted to the client (FTN profile).

Authlib's OpenIDCode checks the nonce and adds the token to the token response; the bank
builds the claims, applies a scenario's fault, signs, and encrypts (RFC 7516 nested JWT).
"""

from __future__ import annotations

import secrets

from authlib.oidc.core.grants import OpenIDCode
from flask import current_app
from joserfc import jwe
from joserfc import jwt

from . import keys
from . import scenarios
from .extensions import db
from .models import AuthorizationCode
from .models import Customer
from .models import now

LIFETIME = 600  # seconds until the ID token's exp
HETU_CLAIM = "urn:oid:1.2.246.21"
ENCRYPTION = {"alg": "RSA-OAEP", "enc": "A128CBC-HS256"}


class IDToken(OpenIDCode):
    """Authlib's OpenID code extension, with the bank's claims, faults and encryption."""

    def __init__(self) -> None:
        super().__init__(require_nonce=True)

    def exists_nonce(self, nonce: str, request) -> bool:
        """Whether a code was already issued for this nonce: a reused nonce is a replay."""
        query = db.select(AuthorizationCode.id).filter_by(
            client_id=request.payload.client_id, nonce=nonce
        )
        return db.session.execute(query).first() is not None

    def generate_user_info(self, user: Customer, scope: str) -> dict:
        return {
            "sub": user.subject,
            HETU_CLAIM: user.hetu,
            "given_name": user.given_name,
            "family_name": user.family_name,
            "name": user.name,
            "birthdate": user.birthdate,
        }

    def encode_id_token(self, token: dict, request) -> str:
        """Sign the claims with the bank's key (or a scenario's), then encrypt to the client."""
        code: AuthorizationCode = request.authorization_code
        customer: Customer = request.user
        issued = now()
        claims = {
            "iss": current_app.config["ISSUER"],
            "aud": request.client.client_id,
            "exp": issued + LIFETIME,
            "iat": issued,
            "auth_time": code.auth_time,
            "nonce": code.nonce,
            "acr": code.acr,
            **self.generate_user_info(customer, code.scope),
        }
        scenario = scenarios.for_customer(customer.scenario)
        fault = scenario.id_token_fault if scenario else None
        bank_keys = keys.current()
        signing_key = (
            bank_keys.impostor() if fault == scenarios.BAD_SIGNATURE else bank_keys.signing
        )
        signed = jwt.encode(
            {"alg": "RS256", "kid": bank_keys.kid}, _apply(fault, claims), signing_key
        )
        enc_key = request.client.enc_key
        header = {**ENCRYPTION, "cty": "JWT", "kid": enc_key.kid}
        return jwe.encrypt_compact(header, signed, enc_key, algorithms=list(ENCRYPTION.values()))

    def process_token(self, grant, response) -> dict:
        token = super().process_token(grant, response)
        # The answer is exactly access_token, token_type, expires_in and id_token.
        token.pop("scope", None)
        return token


def _apply(fault: str | None, claims: dict) -> dict:
    """Spoil one claim the way a scenario asks; the broker must refuse the result."""
    if fault == scenarios.WRONG_NONCE:
        claims["nonce"] = secrets.token_urlsafe(24)
    elif fault == scenarios.EXPIRED:
        claims["iat"], claims["exp"] = claims["iat"] - 2 * LIFETIME, claims["iat"] - LIFETIME
    elif fault == scenarios.WRONG_AUDIENCE:
        claims["aud"] = "not-" + claims["aud"]
    return claims
