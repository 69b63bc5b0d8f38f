"""C2SP tlog-cosignature/v1: the timestamped message a witness signs over a checkpoint body."""

from __future__ import annotations

HEADER = b"cosignature/v1\n"
TIMESTAMP_SIZE = 8
ED25519_SIGNATURE_SIZE = 64
MAX_TIMESTAMP = (1 << 63) - 1  # tlog-cosignature §Format: "MUST NOT exceed 2^63 - 1"


class CosignatureError(ValueError):
    """A cosignature that is not a ``timestamped_signature``; the message says why."""


def signed_message(body: str, timestamp: int) -> bytes:
    """tlog-cosignature §Ed25519 signed message: header, ``time <t>``, then the note body."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise CosignatureError("a cosignature's time must be from 0 to 2^63-1")
    return HEADER + b"time %d\n" % timestamp + body.encode("utf-8")


def pack(timestamp: int, signature: bytes) -> bytes:
    """The ``timestamped_signature`` struct: u64 big-endian timestamp, then the signature."""
    return timestamp.to_bytes(TIMESTAMP_SIZE, "big") + signature


def unpack(timestamped: bytes) -> tuple[int, bytes]:
    """Split a ``timestamped_signature`` into its time and its Ed25519 signature."""
    if len(timestamped) != TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE:
        raise CosignatureError("an Ed25519 cosignature is 8 bytes of time and 64 of signature")
    timestamp = int.from_bytes(timestamped[:TIMESTAMP_SIZE], "big")
    if timestamp > MAX_TIMESTAMP:
        raise CosignatureError("a cosignature's time must not exceed 2^63-1")
    return timestamp, timestamped[TIMESTAMP_SIZE:]
