"""Signature encodings: the token's raw ECDSA ``R‖S`` and X.509's DER ``Ecdsa-Sig-Value``.

RFC 5480 §2.2 / RFC 3279 §2.2.3 carry ECDSA signatures as DER ``SEQUENCE {r, s}``; PKCS#11
CKM_ECDSA and Web eID use the raw concatenation of r and s, each the curve's size.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def ecdsa_raw_to_der(raw: bytes) -> bytes:
    """DER ``Ecdsa-Sig-Value`` of a raw ``R‖S`` signature."""
    if not raw or len(raw) % 2:
        raise ValueError("A raw ECDSA signature has two halves of equal length.")
    half = len(raw) // 2
    return encode_dss_signature(
        int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
    )


def ecdsa_der_to_raw(der: bytes, size: int) -> bytes:
    """Raw ``R‖S`` of a DER signature, each half `size` bytes (32 for P-256)."""
    r, s = decode_dss_signature(der)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def verify_digest(
    public_key: PublicKeyTypes, signature: bytes, digest: bytes, algorithm: hashes.HashAlgorithm
) -> None:
    """Check a card's signature over a digest; raise InvalidSignature if it does not hold."""
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(ecdsa_raw_to_der(signature), digest, ec.ECDSA(Prehashed(algorithm)))
    elif isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, digest, padding.PKCS1v15(), Prehashed(algorithm))
    else:
        raise TypeError(f"Cards hold EC or RSA keys, not {type(public_key).__name__}.")
