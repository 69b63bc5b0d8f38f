"""Note keys: key IDs, verifier key strings and signer key strings (C2SP signed-note).

A verifier key is ``<name>+<hex key ID>+<base64(type || public key)>`` and a signer key
``PRIVATE+KEY+<name>+<hex key ID>+<base64(type || Ed25519 seed)>``, as golang.org/x/mod's
sumdb/note writes them. Two types: Ed25519 (0x01), a log's checkpoint signature, and Ed25519
cosignature/v1 (0x04), a witness's (C2SP tlog-cosignature).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import cosignature

ED25519 = 0x01  # C2SP signed-note §Signature types
COSIGNATURE_V1 = 0x04
KEY_TYPES = {ED25519: "Ed25519", COSIGNATURE_V1: "Ed25519 cosignature/v1"}
PRIVATE_PREFIX = "PRIVATE+KEY+"
KEY_SIZE = 32
KEY_ID = re.compile(r"[0-9a-f]{8}")
# signed-note §Format: "Key names MUST be non-empty and MUST NOT contain any Unicode spaces or
# plus (U+002B) characters"; control characters cannot appear in a note at all.
BAD_NAME_CHARACTER = re.compile(r"[\s+\x00-\x1f\x7f\u2028\u2029]")


class KeyFormatError(ValueError):
    """A key string that cannot be read; the message says what is wrong, never the key."""


def check_name(name: str) -> str:
    """Return ``name`` if it may name a note key, else raise KeyFormatError."""
    if not name or BAD_NAME_CHARACTER.search(name):
        raise KeyFormatError(f"a key name must be non-empty, without spaces or '+': {name!r}")
    return name


def key_id(name: str, key_type: int, public_key: bytes) -> int:
    """signed-note: SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([key_type]) + public_key)
    return int.from_bytes(digest.digest()[:4], "big")


def strict_b64decode(text: str) -> bytes:
    """Standard base64 (RFC 4648 §4), padded and canonical, or KeyFormatError."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise KeyFormatError("not standard base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise KeyFormatError("not canonical base64")
    return raw


def _split_key(text: str) -> tuple[str, int, int, bytes]:
    """name, key ID, type and key material of ``name+id+base64``, the ID checked."""
    parts = text.split("+", 2)
    if len(parts) != 3 or not KEY_ID.fullmatch(parts[1]):
        raise KeyFormatError("a key string is <name>+<8 hex digits>+<base64>")
    name, stated, material = check_name(parts[0]), int(parts[1], 16), strict_b64decode(parts[2])
    if len(material) != 1 + KEY_SIZE or material[0] not in KEY_TYPES:
        raise KeyFormatError("the key is neither an Ed25519 nor a cosignature/v1 key")
    return name, stated, material[0], material[1:]


@dataclass(frozen=True)
class VerifierKey:
    """A public note key: who signed (name), how (type) and with which Ed25519 key."""

    name: str
    key_type: int
    public_key: bytes

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """Read a verifier key string strictly; its key ID must be the one its parts give."""
        name, stated, key_type, public = _split_key(text.strip())
        key = cls(name, key_type, public)
        if key.key_id != stated:
            raise KeyFormatError(f"the key ID of {name} does not match its key")
        return key

    @property
    def key_id(self) -> int:
        return key_id(self.name, self.key_type, self.public_key)

    def __str__(self) -> str:
        material = base64.b64encode(bytes([self.key_type]) + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id:08x}+{material}"

    def verify(self, text: str, signature: bytes) -> bool:
        """Whether ``signature`` (after the key ID) signs the note text ``text`` with this key."""
        message = text.encode("utf-8")
        if self.key_type == COSIGNATURE_V1:
            try:
                timestamp, signature = cosignature.unpack(signature)
            except cosignature.CosignatureError:
                return False
            message = cosignature.signed_message(text, timestamp)
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


class SignerKey:
    """A private note key; its string form is the only way it leaves memory."""

    def __init__(self, name: str, key_type: int, private_key: Ed25519PrivateKey) -> None:
        if key_type not in KEY_TYPES:
            raise KeyFormatError(f"unknown key type {key_type:#04x}")
        self.name, self.key_type, self._private = check_name(name), key_type, private_key
        public = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.verifier = VerifierKey(name, key_type, public)

    @classmethod
    def generate(cls, name: str, key_type: int = ED25519) -> SignerKey:
        return cls(name, key_type, Ed25519PrivateKey.generate())

    @classmethod
    def parse(cls, text: str) -> SignerKey:
        """Read ``PRIVATE+KEY+<name>+<id>+<base64(type || seed)>`` strictly."""
        text = text.strip()
        if not text.startswith(PRIVATE_PREFIX):
            raise KeyFormatError("a signer key string starts with PRIVATE+KEY+")
        name, stated, key_type, seed = _split_key(text[len(PRIVATE_PREFIX) :])
        signer = cls(name, key_type, Ed25519PrivateKey.from_private_bytes(seed))
        if signer.verifier.key_id != stated:
            raise KeyFormatError(f"the key ID of {name} does not match its key")
        return signer

    def private_string(self) -> str:
        seed = self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        material = base64.b64encode(bytes([self.key_type]) + seed).decode("ascii")
        return f"{PRIVATE_PREFIX}{self.name}+{self.verifier.key_id:08x}+{material}"

    def __repr__(self) -> str:
        return f"SignerKey({self.verifier})"  # never the private key

    def sign(self, text: str, timestamp: int | None = None) -> bytes:
        """The signature of note text ``text`` (without the key ID); cosignatures are timed."""
        if self.key_type == ED25519:
            return self._private.sign(text.encode("utf-8"))
        when = int(time.time()) if timestamp is None else timestamp
        return cosignature.pack(when, self._private.sign(cosignature.signed_message(text, when)))
