"""The broker registration of a service, as the TOML `silta clients import` accepts.

The fields are those of docs/relying-party-guide.md, "Registration fields". Credentials come
from the instance folder (credentials.py): the public JWKS of a key-based service, the secret
of a simple one, so the registration and the running service always agree.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import credentials
from .services import Service

ENCRYPTION = ("RSA-OAEP", "A128CBC-HS256")  # FTN: ID tokens encrypted RSA-OAEP, A128CBC-HS256


def registration(service: Service, base_url: str, instance: Path) -> dict:
    """Every field the broker needs for this service, credentials made if missing."""
    fields: dict = {
        "client_id": service.client_id,
        "name": service.name["en"],
        "purpose": service.need["en"],
        "redirect_uris": [f"{base_url}/callback"],
        "post_logout_redirect_uris": [f"{base_url}/logged-out"],
        "backchannel_logout_uri": f"{base_url}/backchannel-logout",
        "token_endpoint_auth_method": service.token_endpoint_auth_method,
        # OIDC Core §8.1: one sector per service, so the services on one host (the demo's
        # 127.0.0.1) still receive different pairwise `sub` values for the same citizen.
        "sector_identifier": service.sector_identifier,
        "subject_type": "pairwise",
        "allowed_scopes": list(service.scope),
        "allowed_claims": list(service.allowed_claims),
        "national_id_entitled": service.national_id_entitled,
        "id_token_signed_response_alg": "RS256",
        "grant_types": ["authorization_code"],  # no service here keeps refresh tokens
    }
    if service.required_acr:
        fields["required_acr"] = service.required_acr
    if service.encrypted_id_token:
        fields["id_token_encrypted_response_alg"] = ENCRYPTION[0]
        fields["id_token_encrypted_response_enc"] = ENCRYPTION[1]
    if service.request_object != "none":
        fields["require_signed_request_object"] = True
    if service.request_object == "par":
        fields["require_pushed_authorization_requests"] = True
    if service.uses_keys:
        fields["jwks"] = credentials.load_keys(instance, create=True).public_jwks()
    if service.token_endpoint_auth_method == "client_secret_basic":
        fields["client_secret"] = credentials.load_secret(instance, create=True)
    return fields


def _value(value) -> str:
    """A TOML value: JSON's strings, numbers and arrays of strings are valid TOML too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)  # ASCII with \\u escapes: a TOML basic string


def as_toml(fields: dict) -> str:
    """One `[[clients]]` table; the JWKS as `[[clients.jwks.keys]]` tables after it."""
    lines = ["[[clients]]"]
    lines += [f"{key} = {_value(value)}" for key, value in fields.items() if key != "jwks"]
    for key in fields.get("jwks", {}).get("keys", []):
        lines += ["", "[[clients.jwks.keys]]"]
        lines += [f"{name} = {_value(value)}" for name, value in key.items()]
    return "\n".join(lines) + "\n"
