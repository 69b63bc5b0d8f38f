"""Ask an OCSP responder (RFC 6960) whether a card certificate is revoked, and believe it only
when the answer is signed by the issuing CA or its delegated responder, names the certificate,
echoes the nonce (RFC 8954) and is fresh.
"""

from __future__ import annotations

import secrets
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import SignatureAlgorithmOID

from .webeid import TokenRejected

MAX_RESPONSE_BYTES = 64 * 1024
NONCE_BYTES = 32  # RFC 8954 §2.1: at most 32 octets


class OcspUnavailable(Exception):
    """The responder could not be reached, or answered without a status (RFC 6960 §2.3)."""


def responder_url(certificate: x509.Certificate, override: str) -> str:
    """The configured responder, else the certificate's AIA id-ad-ocsp (RFC 5280 §4.2.2.1)."""
    if override:
        return override
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
    except x509.ExtensionNotFound:
        raise TokenRejected("no_ocsp_responder") from None
    for description in access.value:
        location = description.access_location
        if (
            description.access_method == AuthorityInformationAccessOID.OCSP
            and isinstance(location, x509.UniformResourceIdentifier)
            and location.value.startswith(("http://", "https://"))
        ):
            return location.value
    raise TokenRejected("no_ocsp_responder")


def fetch(url: str, request_der: bytes, timeout: float) -> bytes:
    """POST the request (RFC 6960 Appendix A.1); a bounded wait and a bounded answer."""
    try:
        with requests.post(
            url,
            data=request_der,
            headers={"Content-Type": "application/ocsp-request"},
            timeout=timeout,
            allow_redirects=False,
            stream=True,
        ) as response:
            if response.status_code != 200:
                raise OcspUnavailable(f"HTTP {response.status_code}")
            body = response.raw.read(MAX_RESPONSE_BYTES + 1, decode_content=True)
    except requests.RequestException as error:
        raise OcspUnavailable(error.__class__.__name__) from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise OcspUnavailable("answer too large")
    return body


def check_status(
    certificate: x509.Certificate,
    issuer: x509.Certificate,
    url: str,
    *,
    timeout: float,
    max_age: int,
    skew: int,
    now: datetime | None = None,
) -> None:
    """Return when the certificate is good; raise TokenRejected or OcspUnavailable otherwise."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(certificate, issuer, hashes.SHA256())
        .add_extension(x509.OCSPNonce(nonce), critical=False)
        .build()
    )
    try:
        response = ocsp.load_der_ocsp_response(
            fetch(url, request.public_bytes(Encoding.DER), timeout)
        )
    except ValueError:
        raise OcspUnavailable("not an OCSP response") from None
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise OcspUnavailable(response.response_status.name)
    check_signed_by_authority(response, issuer, now or datetime.now(UTC), timedelta(seconds=skew))
    check_nonce(response, nonce)
    single = find_single(response, certificate, issuer)
    check_fresh(single, now or datetime.now(UTC), max_age, skew)
    if single.certificate_status == ocsp.OCSPCertStatus.REVOKED:
        raise TokenRejected("revoked")
    if single.certificate_status != ocsp.OCSPCertStatus.GOOD:
        raise TokenRejected("status_unknown")


def _names(response: ocsp.OCSPResponse, candidate: x509.Certificate) -> bool:
    """RFC 6960 §4.2.2.3 ResponderID: byName, or byKey (SHA-1 of the public key bits)."""
    if response.responder_name is not None:
        return response.responder_name == candidate.subject
    key_id = x509.SubjectKeyIdentifier.from_public_key(candidate.public_key()).digest
    return response.responder_key_hash == key_id


def check_signed_by_authority(
    response: ocsp.OCSPResponse, issuer: x509.Certificate, now: datetime, skew: timedelta
) -> None:
    """RFC 6960 §4.2.2.2: the CA itself, or a responder it certified for id-kp-OCSPSigning."""
    signer: x509.Certificate | None
    if _names(response, issuer):
        signer = issuer
    else:
        signer = next((c for c in response.certificates if _names(response, c)), None)
        if signer is None:
            raise TokenRejected("ocsp_wrong_responder")
        try:
            signer.verify_directly_issued_by(issuer)
            purposes = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            raise TokenRejected("ocsp_wrong_responder") from None
        if ExtendedKeyUsageOID.OCSP_SIGNING not in purposes:
            raise TokenRejected("ocsp_wrong_responder")
        if not signer.not_valid_before_utc - skew <= now <= signer.not_valid_after_utc + skew:
            raise TokenRejected("ocsp_wrong_responder")
    _verify(signer, response)


def _verify(signer: x509.Certificate, response: ocsp.OCSPResponse) -> None:
    key, algorithm = signer.public_key(), response.signature_hash_algorithm
    try:
        if isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        elif (
            isinstance(key, rsa.RSAPublicKey)
            and algorithm is not None
            and response.signature_algorithm_oid != SignatureAlgorithmOID.RSASSA_PSS
        ):
            key.verify(
                response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm
            )
        else:
            raise TokenRejected("ocsp_bad_signature")
    except InvalidSignature:
        raise TokenRejected("ocsp_bad_signature") from None


def check_nonce(response: ocsp.OCSPResponse, nonce: bytes) -> None:
    """RFC 8954 §2.1: the nonce comes back unchanged; a missing one may be a replayed answer."""
    try:
        echoed = response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        raise TokenRejected("ocsp_nonce") from None
    if echoed != nonce:
        raise TokenRejected("ocsp_nonce")


def find_single(
    response: ocsp.OCSPResponse, certificate: x509.Certificate, issuer: x509.Certificate
) -> ocsp.OCSPSingleResponse:
    """RFC 6960 §4.2.2.3: the SingleResponse whose CertID is the certificate we asked about."""
    for single in response.responses:
        expected = (
            ocsp.OCSPRequestBuilder()
            .add_certificate(certificate, issuer, single.hash_algorithm)
            .build()
        )
        if (
            single.serial_number == certificate.serial_number
            and single.issuer_name_hash == expected.issuer_name_hash
            and single.issuer_key_hash == expected.issuer_key_hash
        ):
            return single
    raise TokenRejected("ocsp_wrong_certificate")


def check_fresh(single: ocsp.OCSPSingleResponse, now: datetime, max_age: int, skew: int) -> None:
    """RFC 6960 §4.2.2.1 / §3.2 item 5: thisUpdate recent enough, nextUpdate not passed."""
    tolerance = timedelta(seconds=skew)
    if single.this_update_utc > now + tolerance:
        raise TokenRejected("ocsp_stale")  # from the future: the responder's clock is wrong
    if single.this_update_utc < now - timedelta(seconds=max_age) - tolerance:
        raise TokenRejected("ocsp_stale")
    if single.next_update_utc is not None and single.next_update_utc < now - tolerance:
        raise TokenRejected("ocsp_stale")
