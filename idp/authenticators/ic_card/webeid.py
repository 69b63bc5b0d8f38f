"""The Web eID authentication token (`web-eid:1.0`): its shape, and the signature it carries.

A token is ``{"unverifiedCertificate", "algorithm", "signature", "format", "appVersion"}``; the
card signed ``H(H(origin) ‖ H(challenge))`` with its authentication key, where the server
rebuilds origin and challenge from its own configuration and store (Web eID "Authentication
token validation", steps 1 and 6). ECDSA signatures are raw ``R‖S`` (JWA, RFC 7518 §3.4).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509 import Certificate

FORMAT = "web-eid:1.0"
FIELDS = frozenset({"unverifiedCertificate", "algorithm", "signature", "format", "appVersion"})
MAX_TOKEN_CHARS = 12_000  # a 4 KB certificate and a 512-byte signature, in base64, fit easily
MAX_CERTIFICATE_CHARS = 8_000
MAX_SIGNATURE_CHARS = 1_024
MAX_APP_VERSION_CHARS = 200


@dataclass(frozen=True)
class Algorithm:
    """A JWA signature algorithm (RFC 7518 §3.1) a card may use."""

    hash: type[hashes.HashAlgorithm]
    curve: type[ec.EllipticCurve] | None = None  # ECDSA: the curve the key must be on
    pss: bool = False


# The allow-list: ES256/ES384 (§3.4), RS256 (§3.3), PS256 (§3.5). Anything else is refused.
ALGORITHMS = {
    "ES256": Algorithm(hashes.SHA256, curve=ec.SECP256R1),
    "ES384": Algorithm(hashes.SHA384, curve=ec.SECP384R1),
    "RS256": Algorithm(hashes.SHA256),
    "PS256": Algorithm(hashes.SHA256, pss=True),
}


class TokenRejected(Exception):
    """The token is refused; ``reason`` names the check that failed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebEidToken:
    certificate_der: bytes
    algorithm: str
    signature: bytes
    app_version: str


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _value in pairs]
    if len(keys) != len(set(keys)):
        raise TokenRejected("malformed")
    return dict(pairs)


def _base64(value: object, limit: int) -> bytes:
    """Standard base64 with padding (RFC 4648 §4), as Web eID sends it; nothing else."""
    if not isinstance(value, str) or not 0 < len(value) <= limit or len(value) % 4:
        raise TokenRejected("malformed")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise TokenRejected("malformed") from None


def parse_token(raw: str) -> WebEidToken:
    """Check the token's shape: a JSON object with exactly the five fields, bounded and valid."""
    if not raw or len(raw) > MAX_TOKEN_CHARS:
        raise TokenRejected("malformed")
    try:
        token = json.loads(raw, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError):
        raise TokenRejected("malformed") from None
    if not isinstance(token, dict) or set(token) != FIELDS:
        raise TokenRejected("malformed")
    if token["format"] != FORMAT:
        raise TokenRejected("malformed")
    version = token["appVersion"]
    if not isinstance(version, str) or not 0 < len(version) <= MAX_APP_VERSION_CHARS:
        raise TokenRejected("malformed")
    if not version.isprintable():
        raise TokenRejected("malformed")
    algorithm = token["algorithm"]
    if not isinstance(algorithm, str):
        raise TokenRejected("malformed")
    if algorithm not in ALGORITHMS:
        raise TokenRejected("unsupported_algorithm")
    return WebEidToken(
        certificate_der=_base64(token["unverifiedCertificate"], MAX_CERTIFICATE_CHARS),
        algorithm=algorithm,
        signature=_base64(token["signature"], MAX_SIGNATURE_CHARS),
        app_version=version,
    )


def signed_value(origin: str, challenge: str, hash_name: str) -> bytes:
    """``H(origin) ‖ H(challenge)``: the data the card signs (its algorithm hashes it again)."""
    return (
        hashlib.new(hash_name, origin.encode()).digest()
        + hashlib.new(hash_name, challenge.encode()).digest()
    )


def check_signature(
    token: WebEidToken, certificate: Certificate, origin: str, challenge: str
) -> None:
    """Verify the token's signature with the certificate's key; raise TokenRejected if not."""
    algorithm = ALGORITHMS[token.algorithm]
    data = signed_value(origin, challenge, algorithm.hash().name)
    key = certificate.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey) and algorithm.curve is not None:
            if not isinstance(key.curve, algorithm.curve):
                raise TokenRejected("algorithm_mismatch")  # RFC 7518 §3.4: ES256 is P-256
            half = key.curve.key_size // 8 + (1 if key.curve.key_size % 8 else 0)
            if len(token.signature) != 2 * half:
                raise TokenRejected("bad_signature")
            der = encode_dss_signature(
                int.from_bytes(token.signature[:half], "big"),
                int.from_bytes(token.signature[half:], "big"),
            )
            key.verify(der, data, ec.ECDSA(algorithm.hash()))
        elif isinstance(key, rsa.RSAPublicKey) and algorithm.curve is None:
            scheme = (
                # RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
                padding.PSS(padding.MGF1(algorithm.hash()), algorithm.hash().digest_size)
                if algorithm.pss
                else padding.PKCS1v15()
            )
            key.verify(token.signature, data, scheme, algorithm.hash())
        else:
            raise TokenRejected("algorithm_mismatch")
    except InvalidSignature:
        raise TokenRejected("bad_signature") from None
