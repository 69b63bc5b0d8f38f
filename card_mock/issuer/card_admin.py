"""The card administration key and the per-card SO PINs diversified from it.

Card management systems do not store one unblocking secret per card: they derive it from a
master key and the card's serial. Here ``card-admin.key`` (32 random bytes, 0600, made once in
the instance folder) and ``HMAC-SHA256(key, "so-pin:" ‖ serial)`` give each token's SO PIN,
which the issuer needs to initialise and, after a crash, to void the token.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

ADMIN_KEY_FILE = "card-admin.key"


def load_admin_key(instance: str | Path) -> bytes:
    """The instance's card administration key, made on first use."""
    path = Path(instance) / ADMIN_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_bytes(32))
        handle.flush()
        os.fsync(handle.fileno())
    return path.read_bytes()


def so_pin_for(admin_key: bytes, serial: str) -> str:
    """The SO PIN of the card with this serial: 24 hexadecimal characters."""
    return hmac.new(admin_key, b"so-pin:" + serial.encode(), hashlib.sha256).hexdigest()[:24]
