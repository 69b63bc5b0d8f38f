"""The broker's signing keys: created once, stored encrypted, parsed once per process.

Each supported algorithm has one ``current`` key that signs; ``next`` and ``retired`` keys are
published in the JWKS so clients can verify across a rotation (rotation itself is a later step).
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from joserfc.jwk import ECKey
from joserfc.jwk import Key
from joserfc.jwk import KeySet
from joserfc.jwk import RSAKey
from joserfc.jwk import import_key

from ..extensions import db
from ..storage.models import SigningKey

SIGNING_ALGS = ("RS256", "ES256")
RELOAD_SECONDS = 30  # how soon another node's new key is seen; no per-request parsing


class MissingKeyError(RuntimeError):
    """No current signing key for an algorithm: run `silta keys generate`."""


def _cipher() -> AESGCM:
    raw = current_app.config["KEY_ENCRYPTION_KEY"]
    key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    if len(key) != 32:
        raise MissingKeyError("SILTA_KEY_ENCRYPTION_KEY must be 32 bytes in URL-safe base64.")
    return AESGCM(key)


def _encrypt(kid: str, private_jwk: str) -> str:
    nonce = os.urandom(12)
    sealed = _cipher().encrypt(nonce, private_jwk.encode(), kid.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def _decrypt(kid: str, stored: str) -> str:
    raw = base64.urlsafe_b64decode(stored)
    return _cipher().decrypt(raw[:12], raw[12:], kid.encode()).decode()


def _generate(alg: str) -> Key:
    parameters = {"alg": alg, "use": "sig"}
    if alg == "RS256":
        return RSAKey.generate_key(2048, parameters=parameters, private=True)
    return ECKey.generate_key("P-256", parameters=parameters, private=True)


def create_key(alg: str, state: str = "current") -> SigningKey:
    """Create and store a signing key; the caller commits."""
    if alg not in SIGNING_ALGS:
        raise ValueError(f"unsupported signing algorithm {alg!r}")
    key = _generate(alg)
    kid = key.thumbprint()
    row = SigningKey(
        kid=kid,
        alg=alg,
        state=state,
        public_jwk={**key.as_dict(private=False), "kid": kid},
        private_jwk_encrypted=_encrypt(kid, json.dumps({**key.as_dict(private=True), "kid": kid})),
    )
    db.session.add(row)
    return row


def ensure_keys() -> list[str]:
    """Give every algorithm a current key if it has none; return the kids created."""
    existing = {
        alg
        for (alg,) in db.session.execute(
            db.select(SigningKey.alg).where(SigningKey.state == "current")
        )
    }
    created = [create_key(alg).kid for alg in SIGNING_ALGS if alg not in existing]
    db.session.commit()
    return created


def missing_algs() -> list[str]:
    have = {
        alg
        for (alg,) in db.session.execute(
            db.select(SigningKey.alg).where(SigningKey.state == "current")
        )
    }
    return [alg for alg in SIGNING_ALGS if alg not in have]


@dataclass
class _Loaded:
    current: dict[str, Key]
    jwks: dict
    public: KeySet
    loaded_at: float


class KeyCache:
    """Per-process view of the key table, refreshed every RELOAD_SECONDS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None

    def _load(self) -> _Loaded:
        rows = db.session.execute(db.select(SigningKey).order_by(SigningKey.created_at)).scalars()
        current, published = {}, []
        for row in rows:
            published.append(row.public_jwk)
            if row.state == "current":
                current[row.alg] = import_key(
                    json.loads(_decrypt(row.kid, row.private_jwk_encrypted))
                )
        jwks = {"keys": published}
        return _Loaded(current, jwks, KeySet.import_key_set(jwks), time.monotonic())

    def _fresh(self) -> _Loaded:
        loaded = self._loaded
        if loaded is None or time.monotonic() - loaded.loaded_at > RELOAD_SECONDS:
            with self._lock:
                loaded = self._loaded = self._load()
        return loaded

    def signing_key(self, alg: str) -> Key:
        key = self._fresh().current.get(alg)
        if key is None:
            raise MissingKeyError(f"No current {alg} signing key: run `silta keys generate`.")
        return key

    def jwks(self) -> dict:
        return self._fresh().jwks

    def public_keys(self) -> KeySet:
        return self._fresh().public

    def invalidate(self) -> None:
        self._loaded = None


def cache() -> KeyCache:
    return current_app.extensions["silta.keys"]
