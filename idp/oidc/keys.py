"""The broker's signing keys: created once, stored encrypted, parsed once per process.

Each supported algorithm has one key that signs. Rotation without restart: `silta keys rotate`
adds a ``next`` key, published in the JWKS at once; once it is KEY_PROMOTION_GRACE old every node
signs with it (no write is needed: each node works the schedule out from the table when it
reloads); the key it replaced stays published until every ID token it signed has expired.
"""

from __future__ import annotations

import base64
import json
import math
import os
import threading
import time
from dataclasses import dataclass
from typing import cast

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from joserfc.jwk import ECKey
from joserfc.jwk import Key
from joserfc.jwk import KeyParameters
from joserfc.jwk import KeySet
from joserfc.jwk import KeySetSerialization
from joserfc.jwk import RSAKey
from joserfc.jwk import import_key

from ..extensions import db
from ..storage import signing_keys
from ..storage import transaction
from ..storage.models import SigningKey

SIGNING_ALGS = ("RS256", "ES256")


class MissingKeyError(RuntimeError):
    """No current signing key for an algorithm: run `silta keys generate`."""


def _cipher() -> AESGCM:
    raw = current_app.config["KEY_ENCRYPTION_KEY"]
    key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    if len(key) != 32:
        raise MissingKeyError("SILTA_KEY_ENCRYPTION_KEY must be 32 bytes in URL-safe base64.")
    return AESGCM(key)


def seal(label: str, plaintext: str) -> str:
    """Encrypt a secret at rest with KEY_ENCRYPTION_KEY; ``label`` binds it to its owner (AAD)."""
    nonce = os.urandom(12)
    sealed = _cipher().encrypt(nonce, plaintext.encode(), label.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(label: str, stored: str) -> str:
    """The secret ``seal`` stored under the same label; fails if either was changed."""
    raw = base64.urlsafe_b64decode(stored)
    return _cipher().decrypt(raw[:12], raw[12:], label.encode()).decode()


def _generate(alg: str) -> Key:
    parameters: KeyParameters = {"alg": alg, "use": "sig"}
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
        private_jwk_encrypted=seal(kid, json.dumps({**key.as_dict(private=True), "kid": kid})),
    )
    db.session.add(row)
    return row


def ensure_keys() -> list[str]:
    """Give every algorithm a current key if it has none; return the kids created."""
    existing = signing_keys.algs_with_current_key()
    created = [create_key(alg).kid for alg in SIGNING_ALGS if alg not in existing]
    transaction.commit()
    return created


def missing_algs() -> list[str]:
    have = signing_keys.algs_with_current_key()
    return [alg for alg in SIGNING_ALGS if alg not in have]


@dataclass(frozen=True)
class Schedule:
    signing: dict[str, SigningKey]  # alg -> the key that signs now
    published: list[SigningKey]  # everything a verifier may still meet
    states: dict[str, str]  # kid -> current / next / retired


def schedule(rows: list[SigningKey], now: int, grace: int, token_lifetime: int) -> Schedule:
    """Which key signs and which are published, from the key table alone (a pure function)."""

    def effective_at(row: SigningKey) -> int:
        return row.created_at if row.state == "current" else row.created_at + grace

    def order(row: SigningKey) -> tuple[int, int]:
        return (effective_at(row), row.created_at)

    signing, published, states = {}, [], {}
    for alg in sorted({row.alg for row in rows}):
        keys = [r for r in rows if r.alg == alg]
        effective = sorted(
            (r for r in keys if r.state in ("current", "next") and effective_at(r) <= now),
            key=order,
        )
        active = effective[-1] if effective else None
        for row in keys:
            if row is active:
                states[row.kid] = "current"
            elif row.state == "next" and effective_at(row) > now:
                states[row.kid] = "next"
            else:
                states[row.kid] = "retired"
            if states[row.kid] != "retired":
                published.append(row)
                continue
            later = [effective_at(r) for r in effective if order(r) > order(row)]
            superseded_at = row.retired_at or (min(later) if later else now)
            # Published until every ID token it signed has expired (and a minute of skew).
            if superseded_at + token_lifetime + 60 > now:
                published.append(row)
        if active is not None:
            signing[alg] = active
    return Schedule(signing, published, states)


def rotate(algs: tuple[str, ...] = SIGNING_ALGS) -> list[str]:
    """Add the next key for each algorithm; it is published now and signs after the grace."""
    rows = [create_key(alg, state="next") for alg in algs]
    for row in rows:  # whole seconds, rounded up: the grace is never cut short
        row.created_at = math.ceil(time.time())
    created = [row.kid for row in rows]
    transaction.commit()
    return created


def settle() -> dict[str, str]:
    """Write the schedule's states to the table, so operators read what nodes already do."""
    config = current_app.config
    rows = signing_keys.all_keys()
    plan = schedule(
        rows, int(time.time()), config["KEY_PROMOTION_GRACE"], config["ID_TOKEN_LIFETIME"]
    )
    changed = {}
    for row in rows:
        state = plan.states[row.kid]
        if state != row.state:
            if state == "retired" and row.retired_at is None:
                row.retired_at = int(time.time())
            row.state = changed[row.kid] = state
    transaction.commit()
    return changed


@dataclass
class _Loaded:
    current: dict[str, Key]
    jwks: KeySetSerialization
    public: KeySet
    loaded_at: float


class KeyCache:
    """Per-process view of the key table, re-read every KEY_RELOAD_SECONDS, parsed once.

    A key never changes under its kid (the kid is its thumbprint), so a reload decrypts and
    parses only keys it has not met before, and rebuilds the public key set only when the
    published kids changed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None
        self._private: dict[str, Key] = {}  # kid -> parsed private key

    def _load(self) -> _Loaded:
        config = current_app.config
        rows = signing_keys.all_keys()
        plan = schedule(
            rows, int(time.time()), config["KEY_PROMOTION_GRACE"], config["ID_TOKEN_LIFETIME"]
        )
        current = {alg: self._parsed(row) for alg, row in plan.signing.items()}
        self._private = {row.kid: current[alg] for alg, row in plan.signing.items()}
        published = sorted(plan.published, key=lambda r: r.created_at)
        jwks = cast(KeySetSerialization, {"keys": [row.public_jwk for row in published]})
        before = self._loaded
        public = before.public if before and before.jwks == jwks else KeySet.import_key_set(jwks)
        return _Loaded(current, jwks, public, time.monotonic())

    def _parsed(self, row: SigningKey) -> Key:
        key = self._private.get(row.kid)
        if key is None:
            key = import_key(json.loads(unseal(row.kid, row.private_jwk_encrypted)))
        return key

    def _fresh(self) -> _Loaded:
        loaded = self._loaded
        reload_after = current_app.config["KEY_RELOAD_SECONDS"]
        if loaded is None or time.monotonic() - loaded.loaded_at > reload_after:
            with self._lock:
                loaded = self._loaded = self._load()
        return loaded

    def signing_key(self, alg: str) -> Key:
        key = self._fresh().current.get(alg)
        if key is None:
            raise MissingKeyError(f"No current {alg} signing key: run `silta keys generate`.")
        return key

    def jwks(self) -> KeySetSerialization:
        """The published keys as a JWKS document."""
        return self._fresh().jwks

    def public_keys(self) -> KeySet:
        return self._fresh().public

    def invalidate(self) -> None:
        """Forget everything: the next use reads, decrypts and parses the keys afresh."""
        self._loaded = None
        self._private = {}


def cache() -> KeyCache:
    return current_app.extensions["silta.keys"]
