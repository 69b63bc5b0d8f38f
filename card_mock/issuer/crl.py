"""The issuing CA's CRL (RFC 5280 §5), signed on request with a short nextUpdate."""

from __future__ import annotations

import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

from .profiles import Signer
from .revocation import Revoked


def build_crl(issuing: Signer, revoked: list[Revoked], lifetime_seconds: int) -> bytes:
    """A DER CRL of `revoked`, valid from now for `lifetime_seconds`."""
    now = datetime.now(UTC)
    ski = issuing.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuing.certificate.subject)
        .last_update(now)  # §5.1.2.4 thisUpdate
        .next_update(now + timedelta(seconds=lifetime_seconds))  # §5.1.2.5: always present
        # §5.2.1: authorityKeyIdentifier MUST be included.
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False)
        # §5.2.3: a monotonically increasing cRLNumber MUST be included; milliseconds since the
        # epoch increase across restarts and processes without shared state.
        .add_extension(x509.CRLNumber(time.time_ns() // 1_000_000), critical=False)
    )
    for entry in revoked:
        revoked_builder = (
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial_number)
            .revocation_date(entry.revoked_at)
        )
        if entry.reason is not None:  # §5.3.1 reasonCode
            revoked_builder = revoked_builder.add_extension(x509.CRLReason(entry.reason), False)
        builder = builder.add_revoked_certificate(revoked_builder.build())
    return builder.sign(issuing.key, hashes.SHA256()).public_bytes(Encoding.DER)
