"""Registered verifiers of the API and how a request proves it is one.

VERIFIERS_FILE (TOML) lists ``[[verifiers]]`` with ``id``, ``api_key_sha256`` (hex SHA-256 of
the key; `silta-card hash-key` prints it) and ``permissions``: ``holders.read`` and
``reset_codes.verify`` for verifiers (the broker, the reader bridge); ``cards.issue``,
``cards.read``, ``cards.revoke`` and ``cards.reset`` for an operator (`silta card`). A key
is random and long (≥ 32 characters), so one SHA-256 is the right hash: unlike a password it
cannot be guessed from a dictionary. A verifier sends its key as ``Authorization: Bearer
<key>`` or HTTP Basic (user = verifier id, password = key).
"""

from __future__ import annotations

import hashlib
import hmac
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from werkzeug.datastructures import Authorization

HOLDERS_READ = "holders.read"
RESET_CODES_VERIFY = "reset_codes.verify"
# The operator API (views/api.py): what `silta card issue|list|revoke|reset-authorise` needs.
CARDS_ISSUE, CARDS_READ = "cards.issue", "cards.read"
CARDS_REVOKE, CARDS_RESET = "cards.revoke", "cards.reset"
OPERATOR_PERMISSIONS = (CARDS_ISSUE, CARDS_READ, CARDS_REVOKE, CARDS_RESET)
PERMISSIONS = (HOLDERS_READ, RESET_CODES_VERIFY, *OPERATOR_PERMISSIONS)
MIN_KEY_LENGTH = 32


class VerifierConfigError(ValueError):
    """A verifier entry is malformed; the message names it."""


@dataclass(frozen=True)
class Verifier:
    """One registered verifier: its id, the hash of its key, what it may call."""

    id: str
    key_sha256: bytes
    permissions: frozenset[str]


def hash_api_key(key: str) -> str:
    """The hex SHA-256 of an API key, as VERIFIERS_FILE stores it."""
    return hashlib.sha256(key.encode()).hexdigest()


def load_verifiers(path: str, entries: Iterable[dict] | None = None) -> dict[str, Verifier]:
    """The verifiers of VERIFIERS_FILE (if set) and of `entries`, by id."""
    tables = list(entries or [])
    if path:
        tables += tomllib.loads(Path(path).read_text()).get("verifiers", [])
    verifiers: dict[str, Verifier] = {}
    for table in tables:
        verifier_id = str(table.get("id", ""))
        digest = str(table.get("api_key_sha256", ""))
        permissions = frozenset(table.get("permissions", [HOLDERS_READ]))
        if not verifier_id or len(digest) != 64 or not permissions <= set(PERMISSIONS):
            raise VerifierConfigError(
                f"Verifier {verifier_id!r} needs an id, a 64-hex api_key_sha256 and "
                f"permissions among {', '.join(PERMISSIONS)}."
            )
        verifiers[verifier_id] = Verifier(verifier_id, bytes.fromhex(digest), permissions)
    return verifiers


def authenticate(auth: Authorization | None, verifiers: dict[str, Verifier]) -> Verifier | None:
    """The verifier whose key the request carries, or None."""
    if auth is None:
        return None
    if auth.type == "basic":
        known = verifiers.get(auth.username or "")
        key = auth.password or ""
        candidates = [known] if known else []
    elif auth.type == "bearer":
        key = auth.token or ""
        candidates = list(verifiers.values())
    else:
        return None
    digest = hashlib.sha256(key.encode()).digest()
    match = None
    for verifier in candidates:  # compare with all, in constant time, before answering
        if hmac.compare_digest(verifier.key_sha256, digest):
            match = verifier
    return match if len(key) >= MIN_KEY_LENGTH else None
