"""The Web eID authentication token the bridge hands back, and the checks on what it signs.

Web eID (web-eid.eu, "Web eID authentication token specification", format ``web-eid:1.0``):
the card signs ``H(H(origin) ‖ H(challenge))`` with the hash H of the algorithm, origin and
challenge being the UTF-8 bytes of the strings exactly as received; ECDSA signatures are raw
``R‖S``. The challenge is the standard base64 (with padding) of 32 random bytes, as Web eID's
nonce.
"""

from __future__ import annotations

import base64
import binascii

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding

from .errors import BadChallenge
from .errors import CardFailed
from .errors import OriginNotAllowed

FORMAT = "web-eid:1.0"
APP_NAME, APP_VERSION = "silta-reader", "1.0.0"
APP_VERSION_URL = f"https://silta.example/reader/releases/{APP_VERSION}"
CHALLENGE_BYTES = 32
CHALLENGE_LENGTH = 44  # base64 of 32 bytes, with one '=' of padding


def check_origin(origin: str | None, allowed: tuple[str, ...]) -> str:
    """The origin if it is exactly one of the allowed ones; else OriginNotAllowed."""
    if origin is None or origin not in allowed:
        raise OriginNotAllowed()
    return origin


def check_challenge(challenge: str | None) -> str:
    """The challenge if it is the canonical standard base64 of 32 bytes; else BadChallenge."""
    if challenge is None or len(challenge) != CHALLENGE_LENGTH:
        raise BadChallenge()
    try:
        raw = base64.b64decode(challenge, validate=True)
    except (binascii.Error, ValueError):
        raise BadChallenge() from None
    if len(raw) != CHALLENGE_BYTES or base64.b64encode(raw).decode() != challenge:
        raise BadChallenge()
    return challenge


def signature_algorithm(certificate: x509.Certificate) -> tuple[str, hashes.HashAlgorithm]:
    """The JOSE name and hash the card's key signs with (RFC 7518 §3.1): ES256/ES384/RS256."""
    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1":
        return "ES256", hashes.SHA256()
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp384r1":
        return "ES384", hashes.SHA384()
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256", hashes.SHA256()  # PKCS #1 v1.5 (the contract)
    raise CardFailed()


def signed_digest(origin: str, challenge: str, algorithm: hashes.HashAlgorithm) -> bytes:
    """``H(H(origin) ‖ H(challenge))``: the digest the card signs."""

    def h(data: bytes) -> bytes:
        digest = hashes.Hash(algorithm)
        digest.update(data)
        return digest.finalize()

    return h(h(origin.encode()) + h(challenge.encode()))


def web_eid_token(certificate: x509.Certificate, algorithm: str, signature: bytes) -> dict:
    """The ``web-eid:1.0`` authentication token."""
    return {
        "unverifiedCertificate": base64.b64encode(certificate.public_bytes(Encoding.DER)).decode(),
        "algorithm": algorithm,
        "signature": base64.b64encode(signature).decode(),
        "format": FORMAT,
        "appVersion": APP_VERSION_URL,
    }
