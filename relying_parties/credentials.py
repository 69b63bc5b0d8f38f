"""A service's credentials toward the broker, created once in its instance folder and reused.

Key-based services (the FTN profile) hold two RSA keys, each 2048 bits: `sig` signs client
assertions and request objects, `enc` receives encrypted ID tokens; the broker gets only the
public halves. Simple services hold a shared secret. Files are mode 0600 and created by an
atomic link, so two processes starting at once never overwrite each other's credentials.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwk import RSAKey

KEYS_FILE = "client-keys.json"
SECRET_FILE = "client-secret.json"


class CredentialsError(RuntimeError):
    """Credentials are missing or unusable; the message says what to run."""


@dataclass(frozen=True)
class ServiceKeys:
    sig: RSAKey
    enc: RSAKey

    def public_jwks(self) -> dict:
        return {
            "keys": [{**key.as_dict(private=False), "kid": key.kid} for key in (self.sig, self.enc)]
        }


def _create_once(path: Path, document: dict) -> None:
    """Write a private file unless it exists; the first writer wins, no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            json.dump(document, handle, indent=2)
        os.link(draft, path)  # atomic, and fails if another process made the file first
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def _read(path: Path) -> dict:
    try:
        value = json.loads(path.read_text())
    except FileNotFoundError:
        raise CredentialsError(
            f"No credentials at {path}: run `silta-rp registration` for this service first."
        ) from None
    except ValueError as error:
        raise CredentialsError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise CredentialsError(f"{path} must hold a JSON object.")
    return value


def load_keys(instance: Path, create: bool = False) -> ServiceKeys:
    """The service's `sig` and `enc` keys; made first if `create` and none exist."""
    path = instance / KEYS_FILE
    if create and not path.exists():
        made = [
            RSAKey.generate_key(2048, parameters={"use": use, "alg": alg}, private=True)
            for use, alg in (("sig", "RS256"), ("enc", "RSA-OAEP"))
        ]
        _create_once(
            path, {"keys": [{**k.as_dict(private=True), "kid": k.thumbprint()} for k in made]}
        )
    try:
        keyset = KeySet.import_key_set(_read(path))
    except (ValueError, TypeError, JoseError) as error:
        raise CredentialsError(f"Keys at {path} are unreadable: {error}") from None
    by_use = {k.get("use"): k for k in keyset.keys if isinstance(k, RSAKey) and k.is_private}
    if set(by_use) != {"sig", "enc"}:
        raise CredentialsError(f"{path} must hold one private RSA key for 'sig' and one for 'enc'.")
    return ServiceKeys(sig=by_use["sig"], enc=by_use["enc"])


def load_secret(instance: Path, create: bool = False) -> str:
    """The service's client secret (≥ 32 characters); made first if `create` and none exists."""
    path = instance / SECRET_FILE
    if create and not path.exists():
        _create_once(path, {"client_secret": secrets.token_urlsafe(32)})
    secret = _read(path).get("client_secret")
    if not isinstance(secret, str) or len(secret) < 32:
        raise CredentialsError(f"{path} must hold a client_secret of at least 32 characters.")
    return secret
