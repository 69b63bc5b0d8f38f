"""Time-based one-time key codes (RFC 6238 over RFC 4226 HOTP): SHA-1, 30 s, 6 digits."""

from __future__ import annotations

import hashlib
import hmac
import struct
import time

STEP_SECONDS = 30  # RFC 6238 §4.1: X, the time step
DIGITS = 6
WINDOW = 1  # RFC 6238 §5.2: accept one step either side for clock drift and typing time


def hotp(secret: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 §5.3: HMAC-SHA-1 of the counter, dynamically truncated to `digits` digits."""
    mac = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{binary % 10**digits:0{digits}d}"


def time_step(at: float | None = None) -> int:
    """RFC 6238 §4.2: T = floor((now - T0) / X) with T0 = 0."""
    return int((time.time() if at is None else at) // STEP_SECONDS)


def code_at(secret: bytes, at: float | None = None, digits: int = DIGITS) -> str:
    """The key code valid at a moment (now by default)."""
    return hotp(secret, time_step(at), digits)


def seconds_left(at: float | None = None) -> int:
    """Seconds until the current code changes."""
    now = time.time() if at is None else at
    return STEP_SECONDS - int(now % STEP_SECONDS)


def verify(secret: bytes, code: str, at: float | None = None) -> bool:
    """Whether `code` is valid now, one step either side allowed; compared in constant time."""
    if not (isinstance(code, str) and len(code) == DIGITS and code.isascii() and code.isdigit()):
        return False
    step = time_step(at)
    matches = [
        hmac.compare_digest(hotp(secret, s), code) for s in range(step - WINDOW, step + WINDOW + 1)
    ]
    return any(matches)
