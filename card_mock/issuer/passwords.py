"""Desk passwords and reset codes, stored as argon2id hashes (RFC 9106) and never logged."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError

# OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane): about 50 ms a hash here.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def hash_secret(secret: str) -> str:
    """An argon2id hash in PHC string form, with its own random salt."""
    return _hasher.hash(secret)


@cache
def _absent_hash() -> str:
    return _hasher.hash("nobody has this secret")


def verify_secret(secret_hash: str | None, secret: str) -> bool:
    """Whether the secret matches; an unknown account (None) costs the same time and fails."""
    try:
        return _hasher.verify(secret_hash or _absent_hash(), secret) and bool(secret_hash)
    except (VerificationError, InvalidHashError):
        return False
