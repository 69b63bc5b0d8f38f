"""One card's token in an open session: its authentication key, its certificate, signing.

The key pair is generated on the token and never leaves it (CKA_SENSITIVE, not extractable).
SoftHSM2 offers raw CKM_ECDSA only (ARCHITECTURE §8), so every signature is over a digest the
caller computed: ECDSA signatures come back raw ``R‖S`` (as Web eID sends them), RSA ones as
PKCS #1 v1.5 over a DigestInfo built here (RFC 8017 §9.2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization import load_der_public_key
from pkcs11 import Attribute
from pkcs11 import CertificateType
from pkcs11 import KeyType
from pkcs11 import Mechanism
from pkcs11 import ObjectClass
from pkcs11.util.ec import encode_ec_public_key
from pkcs11.util.ec import encode_named_curve_parameters

from .store import TokenError

EC_P256 = "EC-P256"
RSA_2048 = "RSA-2048"
KEY_ALGORITHMS = (EC_P256, RSA_2048)
AUTH_LABEL = "silta-auth"  # the card's one authentication key pair and its certificate
AUTH_ID = b"\x01"

# RFC 8017 §9.2 note 1: DER of DigestInfo up to the digest, per hash algorithm.
DIGEST_INFO_PREFIX = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}

PRIVATE_TEMPLATE = {
    Attribute.TOKEN: True,
    Attribute.PRIVATE: True,
    Attribute.SENSITIVE: True,
    Attribute.EXTRACTABLE: False,
    Attribute.SIGN: True,
}


class Card:
    """A card token opened in a PKCS#11 session (as user, or as security officer)."""

    def __init__(self, session: pkcs11.Session) -> None:
        self.session = session

    @classmethod
    @contextmanager
    def open(
        cls, token: pkcs11.Token, *, pin: str | None = None, so_pin: str | None = None
    ) -> Iterator[Card]:
        """A read-write session on `token`, logged in with the user PIN or the SO PIN."""
        with token.open(rw=True, user_pin=pin, so_pin=so_pin) as session:
            yield cls(session)

    def set_initial_pin(self, pin: str) -> None:
        """C_InitPIN as security officer: give the card its user PIN."""
        self.session.init_pin(pin)

    def change_pin(self, old_pin: str, new_pin: str) -> None:
        """C_SetPIN in the user's session: the card checks the old PIN and takes the new one."""
        self.session.set_pin(old_pin, new_pin)

    def generate_key(self, algorithm: str) -> PublicKeyTypes:
        """Generate the authentication key pair on the token; return its public key."""
        public_template = {Attribute.TOKEN: True, Attribute.VERIFY: True}
        if algorithm == EC_P256:
            parameters = self.session.create_domain_parameters(
                KeyType.EC,
                {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
                local=True,
            )
            public, _ = parameters.generate_keypair(
                store=True,
                label=AUTH_LABEL,
                id=AUTH_ID,
                public_template=public_template,
                private_template=PRIVATE_TEMPLATE,
            )
        elif algorithm == RSA_2048:
            public, _ = self.session.generate_keypair(
                KeyType.RSA,
                2048,
                store=True,
                label=AUTH_LABEL,
                id=AUTH_ID,
                public_template=public_template,
                private_template=PRIVATE_TEMPLATE,
            )
        else:
            raise TokenError(f"Unknown key algorithm {algorithm!r}: use one of {KEY_ALGORITHMS}.")
        return _public_key(public)

    def public_key(self) -> PublicKeyTypes:
        """The authentication public key on the token."""
        return _public_key(self.session.get_key(ObjectClass.PUBLIC_KEY, label=AUTH_LABEL))

    def private_key(self) -> pkcs11.PrivateKey:
        """The handle of the authentication private key (its value cannot be read)."""
        return self.session.get_key(ObjectClass.PRIVATE_KEY, label=AUTH_LABEL)

    def store_certificate(self, certificate: x509.Certificate) -> None:
        """Write the certificate beside its key (SoftHSM2 needs CKA_SUBJECT, ARCHITECTURE §8)."""
        self.session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: AUTH_LABEL,
                Attribute.ID: AUTH_ID,
                Attribute.SUBJECT: certificate.subject.public_bytes(),
                Attribute.ISSUER: certificate.issuer.public_bytes(),
                Attribute.SERIAL_NUMBER: _der_integer(certificate.serial_number),
                Attribute.VALUE: certificate.public_bytes(Encoding.DER),
            }
        )

    def certificate(self) -> x509.Certificate | None:
        """The authentication certificate on the token, or None before issuance finished."""
        for found in self.session.get_objects(
            {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: AUTH_LABEL}
        ):
            return x509.load_der_x509_certificate(found[Attribute.VALUE])
        return None

    def sign_digest(self, digest: bytes, algorithm: hashes.HashAlgorithm) -> bytes:
        """Sign a digest computed by the caller: raw R‖S for ECDSA, PKCS #1 v1.5 for RSA."""
        if len(digest) != algorithm.digest_size:
            raise TokenError("The digest's length does not match its hash algorithm.")
        key = self.private_key()
        if key.key_type == KeyType.EC:
            return key.sign(digest, mechanism=Mechanism.ECDSA)
        prefix = DIGEST_INFO_PREFIX.get(algorithm.name)
        if prefix is None:
            raise TokenError(f"RSA signing supports {', '.join(DIGEST_INFO_PREFIX)} only.")
        return key.sign(prefix + digest, mechanism=Mechanism.RSA_PKCS)


def _public_key(handle: pkcs11.PublicKey) -> PublicKeyTypes:
    if handle.key_type == KeyType.EC:
        return load_der_public_key(encode_ec_public_key(handle))
    modulus = int.from_bytes(handle[Attribute.MODULUS], "big")
    exponent = int.from_bytes(handle[Attribute.PUBLIC_EXPONENT], "big")
    return rsa.RSAPublicNumbers(exponent, modulus).public_key()


def _der_integer(value: int) -> bytes:
    """DER INTEGER (X.690 §8.3) of a positive number, as CKA_SERIAL_NUMBER holds it."""
    body = value.to_bytes(value.bit_length() // 8 + 1, "big")
    return bytes([0x02, len(body)]) + body
