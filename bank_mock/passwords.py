"""Customer passwords, stored as argon2id hashes (RFC 9106) and never logged."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError

# OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane): about 50 ms here, so a demo seed of
# a few dozen customers starts in seconds while every hash stays memory-hard.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def hash_password(password: str) -> str:
    """An argon2id hash in PHC string form, with its own random salt."""
    return _hasher.hash(password)


@cache
def _unknown_customer_hash() -> str:
    return _hasher.hash("no customer has this password")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; an unknown customer (None) costs the same time and fails."""
    try:
        return _hasher.verify(password_hash or _unknown_customer_hash(), password) and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False
