"""Random secrets and their stored form.

Codes, tokens and client secrets are ≥ 256-bit random values, so a plain SHA-256 is the right
stored form: no slow password hash is needed where guessing is hopeless, and lookups stay one
indexed equality.
"""

import hashlib
import hmac
import secrets


def new_secret(nbytes: int = 32) -> str:
    """A URL-safe random string carrying ``nbytes`` bytes of entropy."""
    return secrets.token_urlsafe(nbytes)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def matches(value: str, stored_digest: str | None) -> bool:
    return stored_digest is not None and hmac.compare_digest(digest(value), stored_digest)
