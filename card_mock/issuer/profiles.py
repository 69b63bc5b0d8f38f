"""Certificate profiles of the authority: root CA, card-issuing CA, card, OCSP responder.

Each profile is RFC 5280 §4.2 as a card PKI uses it: basicConstraints and keyUsage critical,
subject and authority key identifiers on every certificate, and on cards the CRL distribution
point (§4.2.1.13) and the OCSP and caIssuers access methods (§4.2.2.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

from ..token import EC_P256
from ..token import RSA_2048

ROOT_YEARS, ISSUING_YEARS, CARD_YEARS = 20, 10, 5
RESPONDER_DAYS = 30  # RFC 6960 §4.2.2.2.1: a nocheck responder certificate should be short-lived
BACKDATE = timedelta(minutes=5)  # tolerate a verifier's clock running a little behind
ORGANISATION = "Silta Demo Card Authority"


@dataclass(frozen=True)
class Signer:
    """A CA certificate with the private key that signs as it."""

    certificate: x509.Certificate
    key: CertificateIssuerPrivateKeyTypes


def new_private_key(algorithm: str) -> CertificateIssuerPrivateKeyTypes:
    """A fresh key of the configured algorithm (EC-P256 or RSA-2048)."""
    if algorithm == EC_P256:
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == RSA_2048:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError(f"Unknown key algorithm {algorithm!r}.")


def authority_name(common_name: str) -> x509.Name:
    """A CA or responder subject: C=FI, O=the authority, CN=`common_name`."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def base_builder(
    subject: x509.Name, public_key: CertificateIssuerPublicKeyTypes, issuer: x509.Name, **lifetime
) -> x509.CertificateBuilder:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())  # §4.1.2.2: positive, ≤ 20 octets, unique
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + timedelta(**lifetime))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def signed_under(builder: x509.CertificateBuilder, signer: Signer) -> x509.CertificateBuilder:
    ski = signer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
    return builder.add_extension(aki, critical=False)  # §4.2.1.1: MUST, not critical


def key_usage(*, signature: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def root_certificate(key: CertificateIssuerPrivateKeyTypes, common_name: str) -> x509.Certificate:
    """The self-signed root: CA, path length 1 (§4.2.1.9), signs certificates and CRLs."""
    name = authority_name(common_name)
    builder = base_builder(name, key.public_key(), name, days=365 * ROOT_YEARS)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    builder = (
        builder.add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(key_usage(ca=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
    )
    return builder.sign(key, hashes.SHA256())


def issuing_certificate(
    public_key: CertificateIssuerPublicKeyTypes, common_name: str, root: Signer
) -> x509.Certificate:
    """The card-issuing intermediate: CA with path length 0, under the root."""
    builder = base_builder(
        authority_name(common_name), public_key, root.certificate.subject, days=365 * ISSUING_YEARS
    )
    builder = (
        signed_under(builder, root)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(key_usage(ca=True), critical=True)
    )
    return builder.sign(root.key, hashes.SHA256())


def responder_certificate(
    public_key: CertificateIssuerPublicKeyTypes, common_name: str, issuing: Signer
) -> x509.Certificate:
    """The delegated OCSP responder (RFC 6960 §4.2.2.2): id-kp-OCSPSigning and ocsp-nocheck."""
    builder = base_builder(
        authority_name(common_name), public_key, issuing.certificate.subject, days=RESPONDER_DAYS
    )
    builder = (
        signed_under(builder, issuing)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage(signature=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
        # RFC 6960 §4.2.2.2.1: clients need not check this certificate's own revocation.
        .add_extension(x509.OCSPNoCheck(), critical=False)
    )
    return builder.sign(issuing.key, hashes.SHA256())
