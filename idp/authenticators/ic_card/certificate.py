"""The card's authentication certificate: purpose, validity dates and chain to a trusted CA.

Web eID "Authentication token validation", step 2 (certificate purpose), step 3 (validity),
step 4 (trust). Path building and signature checks are cryptography's RFC 5280 verifier; the
checks before it give each refusal its own reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

from .webeid import TokenRejected


class TrustConfigError(ValueError):
    """The trusted CA file cannot be used; the message says why."""


@dataclass(frozen=True)
class CheckedCertificate:
    """A card certificate that passed every check, with the CA that issued it."""

    certificate: x509.Certificate
    issuer: x509.Certificate
    eid: str  # subject serialNumber: the electronic identification number

    @property
    def serial_hex(self) -> str:
        return format(self.certificate.serial_number, "x")


def load_trusted(path: str) -> list[x509.Certificate]:
    """The CA certificates of a PEM file; at least one, each a CA."""
    try:
        found = x509.load_pem_x509_certificates(Path(path).read_bytes())
    except (OSError, ValueError) as error:
        raise TrustConfigError(f"cannot read {path}: {error}") from None
    for certificate in found:
        try:
            ca = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            ca = False
        if not ca:
            raise TrustConfigError(f"{path}: {certificate.subject.rfc4514_string()} is not a CA")
    return found


def load_certificate(der: bytes) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError:
        raise TokenRejected("certificate_malformed") from None


def check_purpose(certificate: x509.Certificate) -> None:
    """RFC 5280 §4.2.1.3 digitalSignature, §4.2.1.12 id-kp-clientAuth: an authentication key."""
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound as missing:
        reason = "key_usage" if missing.oid == x509.KeyUsage.oid else "extended_key_usage"
        raise TokenRejected(reason) from None
    except ValueError:  # an extension that does not parse
        raise TokenRejected("certificate_malformed") from None
    if not usage.digital_signature:
        raise TokenRejected("key_usage")
    if ExtendedKeyUsageOID.CLIENT_AUTH not in purposes:
        raise TokenRejected("extended_key_usage")


def check_dates(certificate: x509.Certificate, now: datetime, skew: timedelta) -> datetime:
    """RFC 5280 §4.1.2.5 with `skew` of tolerance; return the instant to validate the chain at."""
    if now + skew < certificate.not_valid_before_utc:
        raise TokenRejected("not_yet_valid")
    if now - skew > certificate.not_valid_after_utc:
        raise TokenRejected("expired")
    # Within the tolerance but outside the window: validate at the nearest instant inside it.
    return min(max(now, certificate.not_valid_before_utc), certificate.not_valid_after_utc)


def check_chain(
    certificate: x509.Certificate, trusted: list[x509.Certificate], at: datetime
) -> x509.Certificate:
    """RFC 5280 §6: a path to a trusted CA (signatures, names, CA constraints, dates at `at`)."""
    # Card certificates name their holder in the subject, not in a subjectAltName, so the
    # Web PKI's "SAN required" rule is relaxed for the end entity; the rest stays as it is.
    leaf_policy = verification.ExtensionPolicy.webpki_defaults_ee().may_be_present(
        x509.SubjectAlternativeName, verification.Criticality.AGNOSTIC, None
    )
    verifier = (
        verification.PolicyBuilder()
        .store(verification.Store(trusted))
        .time(at)
        .extension_policies(
            ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(), ee_policy=leaf_policy
        )
        .build_client_verifier()  # also requires id-kp-clientAuth on the card certificate
    )
    try:
        chain = verifier.verify(certificate, []).chain
    except verification.VerificationError:
        raise TokenRejected("untrusted") from None
    return chain[1]


def subject_eid(certificate: x509.Certificate) -> str:
    found = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    value = found[0].value if len(found) == 1 else None
    if not isinstance(value, str) or not 0 < len(value) <= 64 or not value.isalnum():
        raise TokenRejected("certificate_malformed")
    return value


def check_certificate(
    der: bytes, trusted: list[x509.Certificate], skew_seconds: int, now: datetime | None = None
) -> CheckedCertificate:
    """Every check of the certificate the token carries, in Web eID's order."""
    certificate = load_certificate(der)
    check_purpose(certificate)
    at = check_dates(certificate, now or datetime.now(UTC), timedelta(seconds=skew_seconds))
    issuer = check_chain(certificate, trusted, at)
    return CheckedCertificate(certificate, issuer, subject_eid(certificate))
