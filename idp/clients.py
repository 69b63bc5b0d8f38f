"""Client registrations: validated once, stored in the database, shared by every node.

Sources are a TOML file (``[[clients]]`` tables, imported by ``silta clients import`` and at
start-up from CLIENTS_FILE) and ``silta clients add``. Both go through ``register``.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidTag

from . import assurance
from .audit import events
from .extensions import db
from .hashing import digest
from .hashing import new_secret
from .oidc.claims import CLAIMS_SUPPORTED
from .oidc.claims import NATIONAL_ID
from .oidc.claims import SCOPE_CLAIMS
from .oidc.claims import SCOPES_SUPPORTED
from .oidc.keys import seal
from .oidc.keys import unseal
from .storage import transaction
from .storage.models import Client

AUTH_METHODS = (
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
    "private_key_jwt",
    "none",
)
SECRET_METHODS = ("client_secret_basic", "client_secret_post", "client_secret_jwt")
# client_secret_jwt (RFC 7523 §2.2) checks an HMAC, so the broker needs the secret itself: it is
# kept encrypted with KEY_ENCRYPTION_KEY. The other secret methods compare a SHA-256 hash.
SEALED_SECRET_METHODS = ("client_secret_jwt",)
GRANT_TYPES = ("authorization_code", "refresh_token")
CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{3,100}$")
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
# OIDC Registration §2: ID-token encryption the broker performs; key type per algorithm.
ENCRYPTION_ALGS = {"RSA-OAEP": "RSA", "RSA-OAEP-256": "RSA", "ECDH-ES": "EC"}
ENCRYPTION_ENCS = ("A128CBC-HS256", "A256GCM")
MAX_NAME = 40  # FTN: the name travels to banks as ftn_spname, at most 40 characters


class ClientError(ValueError):
    """A registration that cannot be accepted; the message says what to change."""


def _check_uri(uri: str, what: str) -> str:
    if not isinstance(uri, str):
        raise ClientError(f"{what} must be a string.")
    parts = urlsplit(uri)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.fragment:
        raise ClientError(f"{what} {uri!r} must be an absolute http(s) URL without a fragment.")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ClientError(f"{what} {uri!r} must use https (plain http only on loopback).")
    return uri


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _str_list(data: dict, key: str, default: list) -> list[str]:
    value = data.get(key, default)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ClientError(f"{key} must be a list of strings.")
    return value


def validate(data: dict) -> dict:
    """Check a registration and return its normalised fields (no secret yet)."""
    unknown = set(data) - {*REGISTRATION_FIELDS, "client_secret"}
    if unknown:
        raise ClientError(f"Unknown client setting {sorted(unknown)[0]!r}.")
    client_id = data.get("client_id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise ClientError("client_id must be 3–100 characters of letters, digits, '.', '_' or '-'.")
    name = data.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= MAX_NAME:
        raise ClientError(f"name must be 1–{MAX_NAME} characters: banks show it to the citizen.")
    redirect_uris = [_check_uri(u, "redirect URI") for u in _str_list(data, "redirect_uris", [])]
    if not redirect_uris:
        raise ClientError("At least one redirect URI is required.")
    logout_uris = [
        _check_uri(u, "post-logout redirect URI")
        for u in _str_list(data, "post_logout_redirect_uris", [])
    ]
    backchannel = data.get("backchannel_logout_uri")
    if backchannel is not None:
        _check_uri(backchannel, "backchannel_logout_uri")
    method = data.get("token_endpoint_auth_method", "client_secret_basic")
    if method not in AUTH_METHODS:
        raise ClientError(f"token_endpoint_auth_method must be one of {', '.join(AUTH_METHODS)}.")
    jwks, jwks_uri = data.get("jwks"), data.get("jwks_uri")
    userinfo = _userinfo_response(data)
    enc_alg = data.get("id_token_encrypted_response_alg")
    enc_enc = data.get("id_token_encrypted_response_enc", "A128CBC-HS256" if enc_alg else None)
    if enc_alg is None and enc_enc is not None:
        raise ClientError("id_token_encrypted_response_enc needs id_token_encrypted_response_alg.")
    if enc_alg is not None and enc_alg not in ENCRYPTION_ALGS:
        raise ClientError(
            f"id_token_encrypted_response_alg must be one of {', '.join(ENCRYPTION_ALGS)}."
        )
    if enc_enc is not None and enc_enc not in ENCRYPTION_ENCS:
        raise ClientError(
            f"id_token_encrypted_response_enc must be one of {', '.join(ENCRYPTION_ENCS)}."
        )
    flags = {}
    for flag in (
        "require_signed_request_object",
        "require_pushed_authorization_requests",
        "dpop_bound_access_tokens",
    ):
        flags[flag] = data.get(flag, False)
        if not isinstance(flags[flag], bool):
            raise ClientError(f"{flag} must be true or false.")
    needs_keys = enc_alg or userinfo["userinfo_encrypted_response_alg"]
    # A client_secret_jwt client may sign its request objects with its secret (HS256), so
    # requiring signed objects does not by itself oblige it to register keys.
    signs_with_keys = flags["require_signed_request_object"] and method not in SEALED_SECRET_METHODS
    keys_required = method == "private_key_jwt" or needs_keys or signs_with_keys
    keys_allowed = keys_required or flags["require_signed_request_object"]
    if keys_required or (keys_allowed and (jwks or jwks_uri)):
        if bool(jwks) == bool(jwks_uri):
            raise ClientError(
                "private_key_jwt, encrypted ID tokens and signed request objects need exactly one "
                "of jwks or jwks_uri."
            )
        if jwks is not None:
            _check_public_jwks(jwks)
        if jwks_uri is not None:
            _check_uri(jwks_uri, "jwks_uri")
    elif jwks or jwks_uri:
        raise ClientError(
            "jwks and jwks_uri are for private_key_jwt clients and for clients "
            "that receive encrypted ID tokens."
        )
    if enc_alg and jwks and not _has_key(jwks, ENCRYPTION_ALGS[enc_alg]):
        raise ClientError(
            f'jwks holds no {ENCRYPTION_ALGS[enc_alg]} key for {enc_alg} (use "enc" or no use).'
        )
    hosts = {urlsplit(u).hostname for u in redirect_uris}
    sector = data.get("sector_identifier")
    if not sector:
        if len(hosts) > 1:  # OIDC Core §8.1: several hosts need one declared sector
            raise ClientError("Redirect URIs on several hosts need a sector_identifier.")
        sector = hosts.pop()
    subject_type = data.get("subject_type", "pairwise")
    if subject_type not in ("pairwise", "public"):
        raise ClientError("subject_type must be pairwise or public.")
    scopes = _str_list(data, "allowed_scopes", ["openid", "profile"])
    if "openid" not in scopes or set(scopes) - set(SCOPES_SUPPORTED):
        raise ClientError(f"allowed_scopes must include openid and be among {SCOPES_SUPPORTED}.")
    default_claims = sorted({c for s in scopes for c in SCOPE_CLAIMS.get(s, ())})
    claims = _str_list(data, "allowed_claims", default_claims)
    if set(claims) - set(CLAIMS_SUPPORTED):
        raise ClientError(
            f"Unknown claim in allowed_claims: {sorted(set(claims) - set(CLAIMS_SUPPORTED))[0]}."
        )
    entitled = data.get("national_id_entitled", False)
    if not isinstance(entitled, bool):
        raise ClientError("national_id_entitled must be true or false.")
    if entitled and method == "none":
        raise ClientError(
            "A public client (token_endpoint_auth_method none) cannot be entitled "
            "to the national identity number: it cannot authenticate itself."
        )
    if NATIONAL_ID in claims and not entitled:
        raise ClientError(
            "Only a client entitled to the national identity number may be "
            "allowed its claim: set national_id_entitled = true."
        )
    alg = data.get("id_token_signed_response_alg", "RS256")
    if alg not in ("RS256", "ES256"):
        raise ClientError("id_token_signed_response_alg must be RS256 or ES256.")
    acr = data.get("required_acr")
    if acr is not None and acr not in assurance.LEVELS:
        raise ClientError(f"required_acr must be one of {', '.join(assurance.LEVELS)}.")
    secret = data.get("client_secret")
    if secret is not None and (
        method not in SECRET_METHODS or not isinstance(secret, str) or len(secret) < 32
    ):
        raise ClientError(
            "client_secret must be a string of at least 32 characters, and only "
            "for client_secret_basic, client_secret_post or client_secret_jwt."
        )
    grant_types = _str_list(data, "grant_types", list(GRANT_TYPES))
    if "authorization_code" not in grant_types or set(grant_types) - set(GRANT_TYPES):
        raise ClientError("grant_types must include authorization_code and may add refresh_token.")
    return dict(
        client_id=client_id,
        name=name.strip(),
        purpose=str(data.get("purpose", "")),
        redirect_uris=redirect_uris,
        post_logout_redirect_uris=logout_uris,
        token_endpoint_auth_method=method,
        jwks=jwks,
        jwks_uri=jwks_uri,
        sector_identifier=sector,
        subject_type=subject_type,
        allowed_scopes=scopes,
        allowed_claims=claims,
        national_id_entitled=entitled,
        id_token_signed_response_alg=alg,
        id_token_encrypted_response_alg=enc_alg,
        id_token_encrypted_response_enc=enc_enc,
        required_acr=acr,
        **flags,
        backchannel_logout_uri=backchannel,
        **userinfo,
        grant_types=grant_types,
    )


def _userinfo_response(data: dict) -> dict:
    """OIDC Registration §2: a userinfo answer signed (RS256, ES256), and then maybe encrypted."""
    signed = data.get("userinfo_signed_response_alg")
    enc_alg = data.get("userinfo_encrypted_response_alg")
    enc = data.get("userinfo_encrypted_response_enc", "A128CBC-HS256" if enc_alg else None)
    if signed not in (None, "RS256", "ES256"):
        raise ClientError("userinfo_signed_response_alg must be RS256 or ES256.")
    if enc_alg is not None and (signed is None or enc_alg not in ENCRYPTION_ALGS):
        raise ClientError(
            "userinfo_encrypted_response_alg needs a signed userinfo and one of "
            f"{', '.join(ENCRYPTION_ALGS)}."
        )
    if enc is not None and (enc_alg is None or enc not in ENCRYPTION_ENCS):
        raise ClientError(
            f"userinfo_encrypted_response_enc must be one of {', '.join(ENCRYPTION_ENCS)}"
            " with userinfo_encrypted_response_alg."
        )
    return {
        "userinfo_signed_response_alg": signed,
        "userinfo_encrypted_response_alg": enc_alg,
        "userinfo_encrypted_response_enc": enc,
    }


def _has_key(jwks: dict, key_type: str) -> bool:
    return any(k.get("kty") == key_type and k.get("use") in (None, "enc") for k in jwks["keys"])


def _check_public_jwks(jwks) -> None:
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not keys:
        raise ClientError("jwks must be an object with a non-empty 'keys' array.")
    for key in keys:
        if not isinstance(key, dict) or "kty" not in key:
            raise ClientError("Every key in jwks needs a 'kty'.")
        if {"d", "p", "q", "k"} & set(key):
            raise ClientError("jwks must hold public keys only: a private key was given.")


def register(data: dict) -> tuple[Client, str | None]:
    """Create or update a registration; return it and a generated secret, shown only this once.

    An update that names no secret keeps the stored one, so re-importing a file changes nothing
    the service holds.
    """
    fields = validate(data)
    client_id, method = fields["client_id"], fields["token_endpoint_auth_method"]
    client = db.session.get(Client, client_id)
    secret, generated = data.get("client_secret"), None
    kept = _stored_secret(client, method) if secret is None else None
    if method not in SECRET_METHODS:
        secret_hash = sealed = None
    elif kept is not None:
        secret_hash, sealed = kept
    else:
        if secret is None:
            secret = generated = new_secret(32)
        sealed = seal(_secret_label(client_id), secret) if method in SEALED_SECRET_METHODS else None
        secret_hash = None if sealed else digest(secret)
    if client is None:
        client = Client(**fields)
        db.session.add(client)
    else:
        for key, value in fields.items():
            setattr(client, key, value)
    client.client_secret_hash = secret_hash
    client.client_secret_encrypted = sealed
    transaction.commit()
    events.emit(events.CLIENT_REGISTERED, client_id=client.client_id)
    return client, generated


def _stored_secret(client: Client | None, method: str) -> tuple[str | None, str | None] | None:
    """The stored (hash, sealed secret) an update keeps, if it still suits the method."""
    if client is None:
        return None
    if method in SEALED_SECRET_METHODS:
        return (None, client.client_secret_encrypted) if client.client_secret_encrypted else None
    return (client.client_secret_hash, None) if client.client_secret_hash else None


def _secret_label(client_id: str) -> str:
    # The AEAD label ties a sealed secret to its client: swapped between rows, it fails to open.
    return "client-secret:" + client_id


def client_secret(client: Client) -> str:
    """The secret of a client_secret_jwt client, opened for an HMAC check."""
    if not client.client_secret_encrypted:
        raise ClientError("The client has no stored secret.")
    try:
        return unseal(_secret_label(client.client_id), client.client_secret_encrypted)
    except (InvalidTag, ValueError):
        # Another KEY_ENCRYPTION_KEY, or a sealed secret moved from another client's row.
        raise ClientError("The client's stored secret cannot be opened.") from None


def import_file(path: Path) -> list[str]:
    """Register every ``[[clients]]`` table of a TOML file; all or nothing."""
    try:
        document = tomllib.loads(Path(path).read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ClientError(f"Cannot read {path}: {error}") from None
    entries = document.get("clients", [])
    if not isinstance(entries, list):
        raise ClientError(f"{path}: 'clients' must be an array of tables ([[clients]]).")
    for number, entry in enumerate(entries, start=1):
        try:
            validate(entry)  # check all before storing any
        except ClientError as error:
            name = entry.get("client_id", "?") if isinstance(entry, dict) else "?"
            raise ClientError(f"{path}: entry {number} ({name}): {error}") from None
    return [register(entry)[0].client_id for entry in entries]


def remove(client_id: str) -> bool:
    client = db.session.get(Client, client_id)
    if client is None:
        return False
    db.session.delete(client)
    transaction.commit()
    events.emit(events.CLIENT_REMOVED, client_id=client_id)
    return True


def describe(client: Client) -> dict:
    """A registration as an operator may see it: everything but the secret, hashed or sealed."""
    return {key: getattr(client, key) for key in REGISTRATION_FIELDS}
