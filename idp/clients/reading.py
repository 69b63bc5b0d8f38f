"""What a client registration says, its defaults filled in: the vocabulary the checks read
(``checks.py``), and the fields stored once it met them all."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..oidc.claims import SCOPE_CLAIMS
from ..oidc.client_secrets import SEALED_SECRET_METHODS

Data = Mapping[str, Any]

AUTH_METHODS = (
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
    "private_key_jwt",
    "none",
)
SECRET_METHODS = ("client_secret_basic", "client_secret_post", "client_secret_jwt")
GRANT_TYPES = ("authorization_code", "refresh_token")
SIGNING_ALGS = ("RS256", "ES256")
FLAGS = (
    "require_signed_request_object",  # RFC 9101 §10.5
    "require_pushed_authorization_requests",  # RFC 9126 §6
    "dpop_bound_access_tokens",  # RFC 9449 §5.2
)
CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{3,100}$")
MAX_NAME = 40  # FTN: the name travels to banks as ftn_spname, at most 40 characters
# Everything a registration holds, in the order operators read it; the secret is never shown.
REGISTRATION_FIELDS = (
    "client_id",
    "name",
    "purpose",
    "redirect_uris",
    "post_logout_redirect_uris",
    "token_endpoint_auth_method",
    "jwks",
    "jwks_uri",
    "sector_identifier",
    "subject_type",
    "allowed_scopes",
    "allowed_claims",
    "national_id_entitled",
    "id_token_signed_response_alg",
    "id_token_encrypted_response_alg",
    "id_token_encrypted_response_enc",
    "userinfo_signed_response_alg",
    "userinfo_encrypted_response_alg",
    "userinfo_encrypted_response_enc",
    "required_acr",
    "backchannel_logout_uri",
    "require_signed_request_object",
    "require_pushed_authorization_requests",
    "dpop_bound_access_tokens",
    "grant_types",
)


# --- what a registration says, its defaults filled in ---


def method(data: Data) -> Any:
    return data.get("token_endpoint_auth_method", "client_secret_basic")


def redirect_uris(data: Data) -> Any:
    return data.get("redirect_uris", [])


def scopes(data: Data) -> Any:
    return data.get("allowed_scopes", ["openid", "profile"])


def claims(data: Data) -> Any:
    return data.get(
        "allowed_claims", sorted({c for s in scopes(data) for c in SCOPE_CLAIMS.get(s, ())})
    )


def id_token_enc(data: Data) -> Any:
    default = "A128CBC-HS256" if data.get("id_token_encrypted_response_alg") else None
    return data.get("id_token_encrypted_response_enc", default)


def userinfo_enc(data: Data) -> Any:
    default = "A128CBC-HS256" if data.get("userinfo_encrypted_response_alg") else None
    return data.get("userinfo_encrypted_response_enc", default)


def hosts(data: Data) -> set[str | None]:
    return {urlsplit(uri).hostname for uri in redirect_uris(data)}


def keys_required(data: Data) -> bool:
    """private_key_jwt, encryption to the client, or request objects signed with a key."""
    # A client_secret_jwt client may sign its request objects with its secret (HS256), so
    # requiring signed objects does not by itself oblige it to register keys.
    signs_with_keys = data.get("require_signed_request_object") and method(data) not in (
        SEALED_SECRET_METHODS
    )
    encrypted = data.get("id_token_encrypted_response_alg") or data.get(
        "userinfo_encrypted_response_alg"
    )
    return bool(method(data) == "private_key_jwt" or encrypted or signs_with_keys)


# --- the pieces the checks are made of ---


def uri_problem(uri: Any, what: str) -> str | None:
    if not isinstance(uri, str):
        return f"{what} must be a string."
    parts = urlsplit(uri)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.fragment:
        return f"{what} {uri!r} must be an absolute http(s) URL without a fragment."
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return f"{what} {uri!r} must use https (plain http only on loopback)."
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def first(problems: Any) -> str | None:
    return next((p for p in problems if p), None)


def strings_problem(key: str, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"{key} must be a list of strings."
    return None


def public_jwks_problem(jwks: Any) -> str | None:
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not keys:
        return "jwks must be an object with a non-empty 'keys' array."
    for key in keys:
        if not isinstance(key, dict) or "kty" not in key:
            return "Every key in jwks needs a 'kty'."
        if {"d", "p", "q", "k"} & set(key):
            return "jwks must hold public keys only: a private key was given."
    return None


def has_key(jwks: dict[str, Any], key_type: str) -> bool:
    return any(k.get("kty") == key_type and k.get("use") in (None, "enc") for k in jwks["keys"])


def fields(data: Data) -> dict[str, Any]:
    """The stored fields of a registration that met every check (no secret yet)."""
    return dict(
        client_id=data["client_id"],
        name=data["name"].strip(),
        purpose=str(data.get("purpose", "")),
        redirect_uris=redirect_uris(data),
        post_logout_redirect_uris=data.get("post_logout_redirect_uris", []),
        token_endpoint_auth_method=method(data),
        jwks=data.get("jwks"),
        jwks_uri=data.get("jwks_uri"),
        sector_identifier=data.get("sector_identifier") or hosts(data).pop(),
        subject_type=data.get("subject_type", "pairwise"),
        allowed_scopes=scopes(data),
        allowed_claims=claims(data),
        national_id_entitled=data.get("national_id_entitled", False),
        id_token_signed_response_alg=data.get("id_token_signed_response_alg", "RS256"),
        id_token_encrypted_response_alg=data.get("id_token_encrypted_response_alg"),
        id_token_encrypted_response_enc=id_token_enc(data),
        required_acr=data.get("required_acr"),
        **{flag: data.get(flag, False) for flag in FLAGS},
        backchannel_logout_uri=data.get("backchannel_logout_uri"),
        userinfo_signed_response_alg=data.get("userinfo_signed_response_alg"),
        userinfo_encrypted_response_alg=data.get("userinfo_encrypted_response_alg"),
        userinfo_encrypted_response_enc=userinfo_enc(data),
        grant_types=data.get("grant_types", list(GRANT_TYPES)),
    )
