"""The broker's own keys toward upstream identity providers (the FTN profile, ARCHITECTURE §8).

Two RSA keys, each at least 2048 bits: `sig` signs request objects and client assertions, `enc`
receives the banks' encrypted ID tokens. They live in one private JWKS file in the instance
folder; the public half is handed to each bank through its configuration (static JWKS).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwk import RSAKey


class FederationKeyError(RuntimeError):
    """The key file is missing or unusable; the message says what to run."""


@dataclass(frozen=True)
class FederationKeys:
    sig: RSAKey
    enc: RSAKey

    def public_jwks(self) -> dict:
        return {
            "keys": [{**key.as_dict(private=False), "kid": key.kid} for key in (self.sig, self.enc)]
        }


def generate(path: Path) -> FederationKeys:
    """Create both keys and write them, readable by the owner only."""
    keys = [
        RSAKey.generate_key(2048, parameters={"use": use, "alg": alg}, private=True)
        for use, alg in (("sig", "RS256"), ("enc", "RSA-OAEP"))
    ]
    document = {"keys": [{**key.as_dict(private=True), "kid": key.thumbprint()} for key in keys]}
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(document, handle, indent=2)
    return load(path)


def load(path: Path) -> FederationKeys:
    try:
        keyset = KeySet.import_key_set(json.loads(Path(path).read_text()))
    except FileNotFoundError:
        raise FederationKeyError(
            f"No federation keys at {path}: run `silta keys federation`."
        ) from None
    except (ValueError, TypeError, JoseError) as error:
        raise FederationKeyError(f"Federation keys at {path} are unreadable: {error}") from None
    by_use = {
        key.get("use"): key for key in keyset.keys if isinstance(key, RSAKey) and key.is_private
    }
    if set(by_use) != {"sig", "enc"}:
        raise FederationKeyError(
            f"{path} must hold one private RSA key for use 'sig' and one for 'enc'."
        )
    for key in by_use.values():
        if key.raw_value.key_size < 2048:
            raise FederationKeyError(f"{path}: RSA keys must be at least 2048 bits.")
    return FederationKeys(sig=by_use["sig"], enc=by_use["enc"])
