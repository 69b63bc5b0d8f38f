"""Registered brokers (the bank's OIDC clients), read once at start-up from TOML or a list.

Each client names exact redirect URIs and two public RSA keys of at least 2048 bits: one with
``use: sig`` for its request objects and client assertions, one with ``use: enc`` that the bank
encrypts ID tokens to (FTN profile). Anything else is refused at load, with the reason.
"""

from __future__ import annotations

import base64
import json
import tomllib
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from authlib.oauth2.rfc6749 import ClientMixin
from flask import current_app
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwk import RSAKey

from .config import ConfigError

MIN_KEY_BITS = 2048
AUTH_METHOD = "private_key_jwt"
SCOPES = ("openid", "profile", "personal_identity_code")


@dataclass(frozen=True)
class Client(ClientMixin):
    """One registered broker, with its keys parsed once."""

    client_id: str
    redirect_uris: tuple[str, ...]
    sig_key: RSAKey
    enc_key: RSAKey

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None  # FTN: the request object always names its redirect_uri

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris  # exact match (RFC 9700 §4.1.3)

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == AUTH_METHOD and endpoint == "token"

    def check_client_secret(self, client_secret: str) -> bool:
        return False  # no shared secrets: private_key_jwt only

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def signing_keys(self) -> KeySet:
        return KeySet([self.sig_key])


def _modulus_bits(n: object) -> int:
    if not isinstance(n, str):
        return 0
    try:
        raw = base64.urlsafe_b64decode(n + "=" * (-len(n) % 4))
    except ValueError:
        return 0
    return int.from_bytes(raw, "big").bit_length()


def _key(jwks: Mapping, use: str, where: str) -> RSAKey:
    found = [k for k in jwks.get("keys", []) if isinstance(k, Mapping) and k.get("use") == use]
    if len(found) != 1:
        raise ConfigError(f"{where}: the JWKS must hold exactly one key with use {use!r}.")
    data = dict(found[0])
    if data.get("kty") != "RSA":
        raise ConfigError(f"{where}: the {use} key must be an RSA key, not {data.get('kty')!r}.")
    if "d" in data or "p" in data:
        raise ConfigError(f"{where}: the {use} key holds private parts; register public keys.")
    bits = _modulus_bits(data.get("n"))
    if bits < MIN_KEY_BITS:  # checked before import, which only warns about small keys
        raise ConfigError(f"{where}: the {use} key has {bits} bits; it needs at least 2048.")
    try:
        key = RSAKey.import_key(data)
    except (JoseError, ValueError) as error:
        raise ConfigError(f"{where}: the {use} key cannot be read ({error}).") from None
    key.ensure_kid()  # a key registered without kid is named by its RFC 7638 thumbprint
    return key


def parse_client(entry: Mapping, base: Path) -> Client:
    """One ``[[clients]]`` table as a Client; relative ``jwks_file`` paths start at `base`."""
    client_id = entry.get("client_id")
    if not isinstance(client_id, str) or not client_id:
        raise ConfigError("Every client needs a client_id.")
    where = f"Client {client_id!r}"
    uris = entry.get("redirect_uris")
    if not uris or not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
        raise ConfigError(f"{where}: redirect_uris must be a non-empty list of URLs.")
    if ("jwks" in entry) == ("jwks_file" in entry):
        raise ConfigError(f"{where}: give exactly one of jwks or jwks_file.")
    jwks = entry.get("jwks")
    if "jwks_file" in entry:
        path = base / entry["jwks_file"]
        try:
            jwks = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise ConfigError(f"{where}: cannot read jwks_file {path} ({error}).") from None
    if not isinstance(jwks, Mapping):
        raise ConfigError(f"{where}: jwks must be a JSON Web Key Set object.")
    return Client(client_id, tuple(uris), _key(jwks, "sig", where), _key(jwks, "enc", where))


def load_clients(clients_file: str, entries: Iterable[Mapping] | None) -> dict[str, Client]:
    """All registrations: CLIENTS_FILE's, then those passed as the CLIENTS setting."""
    tables: list[tuple[Mapping, Path]] = []
    if clients_file:
        path = Path(clients_file)
        try:
            data = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"BANK_CLIENTS_FILE {path} cannot be read ({error}).") from None
        tables += [(entry, path.parent) for entry in data.get("clients", [])]
    tables += [(entry, Path.cwd()) for entry in entries or ()]
    clients: dict[str, Client] = {}
    for entry, base in tables:
        client = parse_client(entry, base)
        if client.client_id in clients:
            raise ConfigError(f"Client {client.client_id!r} is registered twice.")
        clients[client.client_id] = client
    return clients


def query_client(client_id: object) -> Client | None:
    """The registered client with this id, if any."""
    if not isinstance(client_id, str):
        return None
    return current_app.extensions["bank.clients"].get(client_id)
