"""The bank's OpenID Provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414)."""

from __future__ import annotations

from flask import current_app

from silta_common.i18n import LOCALES

from .clients import SCOPES
from .grants import ACR_VALUES
from .id_token import HETU_CLAIM
from .pages import current_bank

CLAIMS = ("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", HETU_CLAIM)
CLAIMS += ("given_name", "family_name", "name", "birthdate")


def metadata() -> dict:
    """The provider metadata, exactly as the broker's contract lists it."""
    issuer = current_app.config["ISSUER"]
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "jwks_uri": f"{issuer}/jwks.json",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "scopes_supported": list(SCOPES),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "id_token_encryption_alg_values_supported": ["RSA-OAEP"],
        "id_token_encryption_enc_values_supported": ["A128CBC-HS256"],
        "request_object_signing_alg_values_supported": ["RS256"],
        "request_parameter_supported": True,
        "request_uri_parameter_supported": False,
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": list(ACR_VALUES),
        "claims_supported": list(CLAIMS),
        "ui_locales_supported": list(LOCALES),
        "authorization_response_iss_parameter_supported": True,
        # Not standard: what the broker's method-choice page shows for this bank.
        "bank_name": current_bank().name,
        "logo_uri": f"{issuer}/logo.svg",
    }
