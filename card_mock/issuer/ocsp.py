"""The OCSP responder (RFC 6960), answering for the issuing CA as its delegated responder."""

from __future__ import annotations

import logging
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization import PublicFormat
from cryptography.x509 import ocsp

from .ca import Authority
from .revocation import GOOD
from .revocation import REVOKED_STATUS
from .revocation import certificate_status

log = logging.getLogger("card_mock.issuer.ocsp")
MAX_NONCE_OCTETS = 32  # RFC 8954 §2.1
STATUSES = {
    GOOD: ocsp.OCSPCertStatus.GOOD,
    REVOKED_STATUS: ocsp.OCSPCertStatus.REVOKED,
}


def create_ocsp_response(request_der: bytes, authority: Authority, lifetime_seconds: int) -> bytes:
    """The DER OCSPResponse to a DER OCSPRequest: signed, or an unsuccessful status."""
    try:
        request = ocsp.load_der_ocsp_request(request_der)
        algorithm = request.hash_algorithm
        nonce = _nonce(request)
    except (ValueError, UnsupportedAlgorithm, NotImplementedError):
        # RFC 6960 §2.3: malformedRequest, unsigned (§4.2.1: no responseBytes). cryptography
        # parses one CertID per request; a list of several is refused the same way.
        return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    status, revoked = (
        certificate_status(request.serial_number)
        if _names_our_issuer(request, algorithm, authority.issuing.certificate)
        else ("unknown", None)  # §2.2: "unknown" covers an issuer this responder does not serve
    )
    now = datetime.now(UTC)
    responder = authority.responder
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=request.serial_number,
            algorithm=algorithm,
            cert_status=STATUSES.get(status, ocsp.OCSPCertStatus.UNKNOWN),
            this_update=now,  # §4.2.2.1: thisUpdate and nextUpdate
            next_update=now + timedelta(seconds=lifetime_seconds),
            revocation_time=revoked.revoked_at if revoked else None,
            revocation_reason=revoked.reason if revoked else None,
        )
        # §4.2.2.2: a delegated responder names itself and sends its certificate.
        .responder_id(ocsp.OCSPResponderEncoding.HASH, responder.certificate)
        .certificates([responder.certificate])
    )
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)  # §4.4.1
    log.info("ocsp.answered serial=%x status=%s", request.serial_number, status)
    return builder.sign(responder.key, hashes.SHA256()).public_bytes(Encoding.DER)


def _nonce(request: ocsp.OCSPRequest) -> bytes | None:
    try:
        nonce = request.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        return None
    if not 1 <= len(nonce) <= MAX_NONCE_OCTETS:
        raise ValueError("The nonce must be 1 to 32 octets (RFC 8954 §2.1).")
    return nonce


def _names_our_issuer(
    request: ocsp.OCSPRequest, algorithm: hashes.HashAlgorithm, issuer: x509.Certificate
) -> bool:
    """RFC 6960 §4.1.1: issuerNameHash over the issuer's DER name, issuerKeyHash over the
    value of its subjectPublicKey BIT STRING."""
    public_key = issuer.public_key()
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        key_bits = public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    else:
        key_bits = public_key.public_bytes(Encoding.DER, PublicFormat.PKCS1)
    return (
        _digest(algorithm, issuer.subject.public_bytes()) == request.issuer_name_hash
        and _digest(algorithm, key_bits) == request.issuer_key_hash
    )


def _digest(algorithm: hashes.HashAlgorithm, data: bytes) -> bytes:
    digest = hashes.Hash(algorithm)
    digest.update(data)
    return digest.finalize()


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(Encoding.DER)
