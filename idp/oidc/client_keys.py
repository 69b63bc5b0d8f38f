"""A client's public keys: its inline `jwks`, or its `jwks_uri` fetched with a bound and cached.

They verify the client's assertions (`private_key_jwt`) and receive its encrypted ID tokens.
"""

from __future__ import annotations

import threading
import time

import requests
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import Key
from joserfc.jwk import KeySet

FETCH_TIMEOUT = 5  # seconds; an upstream call is always bounded
CACHE_SECONDS = 300
REFETCH_SECONDS = 10
# OIDC Registration §2: the key management algorithms the broker encrypts ID tokens and userinfo
# with, and the key type each needs; and the content encryptions.
KEY_TYPES = {"RSA-OAEP": "RSA", "RSA-OAEP-256": "RSA", "ECDH-ES": "EC"}
CONTENT_ENCRYPTIONS = ("A128CBC-HS256", "A256GCM")

_cache: dict[str, tuple[float, KeySet]] = {}
_lock = threading.Lock()


class ClientKeysUnavailable(Exception):
    """The client's keys cannot be read or hold no suitable key."""


def keyset(client, kid: str | None = None) -> KeySet:
    """The client's keys; a `kid` the cached set lacks makes a rate-bounded refetch."""
    if client.jwks:
        return KeySet.import_key_set(client.jwks)
    if not client.jwks_uri:
        raise ClientKeysUnavailable("The client has registered no keys.")
    cached = _cache.get(client.jwks_uri)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        age, keys = time.monotonic() - cached[0], cached[1]
        # A client that rotated its keys signs with a kid we have not seen (OIDC Core §10.1.1):
        # refetch, but at most once per REFETCH_SECONDS so unknown kids cannot drive traffic.
        if kid is None or any(k.kid == kid for k in keys.keys) or age < REFETCH_SECONDS:
            return keys
    try:
        response = requests.get(client.jwks_uri, timeout=FETCH_TIMEOUT)
        response.raise_for_status()
        fetched = KeySet.import_key_set(response.json())
    except (requests.RequestException, ValueError, TypeError, JoseError):
        raise ClientKeysUnavailable("The client's jwks_uri could not be read.") from None
    with _lock:
        _cache[client.jwks_uri] = (time.monotonic(), fetched)
    return fetched


def encryption_key(client, alg: str) -> Key:
    """The client's key for `alg`: marked `use: enc` (or unmarked), of the algorithm's type."""
    for key in keyset(client).keys:
        if (
            key.key_type == KEY_TYPES[alg]
            and key.get("use") in (None, "enc")
            and key.get("alg") in (None, alg)
        ):
            return key
    raise ClientKeysUnavailable(f"The client has no key for {alg}.")


def encrypt_to(client, signed_jwt: str, alg: str, enc: str) -> str:
    """Nest a signed JWT in a JWE to the client's key (OIDC Core §10.2: `cty: JWT`)."""
    key = encryption_key(client, alg)
    header = {"alg": alg, "enc": enc, "cty": "JWT"}
    if key.kid:
        header["kid"] = key.kid
    return jwe.encrypt_compact(header, signed_jwt, key, algorithms=[alg, enc])
