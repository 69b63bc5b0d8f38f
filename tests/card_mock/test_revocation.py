"""Revocation: lost-card reports, the CRL (RFC 5280 §5) and the OCSP responder (RFC 6960)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID

from card_mock.issuer import cards
from card_mock.issuer.models import LOST

from .support import AINO
from .support import MIKKO
from .support import csrf_token
from .support import ocsp_get_path
from .support import ocsp_request


def load_crl(browser) -> x509.CertificateRevocationList:
    response = browser.get("/crl/issuing-ca.crl")
    assert response.status_code == 200 and response.mimetype == "application/pkix-crl"
    return x509.load_der_x509_crl(response.data)


def ask_ocsp(
    browser, parts, cert, *, nonce=None, method="post", algorithm=None
) -> ocsp.OCSPResponse:
    request = ocsp_request(cert, parts.authority.issuing.certificate, nonce, algorithm)
    if method == "post":
        response = browser.post("/ocsp", data=request, content_type="application/ocsp-request")
    else:
        response = browser.get(ocsp_get_path(request))
    assert response.status_code == 200 and response.mimetype == "application/ocsp-response"
    return ocsp.load_der_ocsp_response(response.data)


def check_signed_by_delegate(answer: ocsp.OCSPResponse, parts) -> None:
    """RFC 6960 §4.2.2.2: signed by a certificate the CA issued with id-kp-OCSPSigning."""
    (responder,) = answer.certificates
    assert responder == parts.authority.responder.certificate
    responder.verify_directly_issued_by(parts.authority.issuing.certificate)
    eku = responder.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.OCSP_SIGNING in eku
    assert responder.extensions.get_extension_for_class(x509.OCSPNoCheck)
    ski = responder.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert answer.responder_key_hash == ski
    key = responder.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(
            answer.signature, answer.tbs_response_bytes, ec.ECDSA(answer.signature_hash_algorithm)
        )
    else:
        assert isinstance(key, rsa.RSAPublicKey)
        key.verify(
            answer.signature,
            answer.tbs_response_bytes,
            padding.PKCS1v15(),
            answer.signature_hash_algorithm,
        )


def card_cert(card) -> x509.Certificate:
    return x509.load_der_x509_certificate(card.certificate)


def test_crl_is_signed_short_lived_and_lists_revoked_cards(browser, parts, issue_card, ctx):
    kept, lost = issue_card(AINO), issue_card(MIKKO)
    assert list(load_crl(browser)) == []
    cards.revoke(lost.serial, LOST)
    crl = load_crl(browser)
    assert crl.is_signature_valid(parts.authority.issuing.certificate.public_key())
    assert crl.issuer == parts.authority.issuing.certificate.subject
    assert (crl.next_update_utc - crl.last_update_utc).total_seconds() == 3600
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number > 0
    assert crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    entry = crl.get_revoked_certificate_by_serial_number(card_cert(lost).serial_number)
    assert entry is not None
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason == x509.ReasonFlags.key_compromise
    assert crl.get_revoked_certificate_by_serial_number(card_cert(kept).serial_number) is None


def test_crl_numbers_increase(browser, ctx):
    first = load_crl(browser).extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    second = load_crl(browser).extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert second > first


@pytest.mark.parametrize("method", ["post", "get"])
def test_ocsp_good_then_revoked(browser, parts, issue_card, ctx, method):
    card = issue_card()
    cert = card_cert(card)
    answer = ask_ocsp(browser, parts, cert, method=method)
    assert answer.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD
    assert answer.serial_number == cert.serial_number
    assert answer.this_update_utc <= datetime.now(UTC) < answer.next_update_utc
    check_signed_by_delegate(answer, parts)
    cards.revoke(card.serial)
    answer = ask_ocsp(browser, parts, cert, method=method)
    assert answer.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_time_utc is not None
    assert answer.revocation_reason is None  # RFC 5280 §5.3.1: no "unspecified"
    check_signed_by_delegate(answer, parts)


def test_ocsp_unknown_for_a_certificate_it_never_issued(browser, parts, issue_card, ctx):
    cert = card_cert(issue_card())
    stranger = (
        x509.CertificateBuilder()
        .subject_name(cert.subject)
        .issuer_name(cert.issuer)
        .public_key(cert.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(cert.not_valid_before_utc)
        .not_valid_after(cert.not_valid_after_utc)
        .sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())
    )
    answer = ask_ocsp(browser, parts, stranger)
    assert answer.certificate_status == ocsp.OCSPCertStatus.UNKNOWN
    check_signed_by_delegate(answer, parts)


def test_ocsp_echoes_the_nonce_and_takes_sha1_cert_ids(browser, parts, issue_card, ctx):
    cert = card_cert(issue_card())
    nonce = b"\x01" * 16
    answer = ask_ocsp(browser, parts, cert, nonce=nonce, algorithm=hashes.SHA1())
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD
    assert answer.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == nonce
    plain = ask_ocsp(browser, parts, cert)
    with pytest.raises(x509.ExtensionNotFound):
        plain.extensions.get_extension_for_class(x509.OCSPNonce)


@pytest.mark.parametrize("body", [b"", b"not der", b"\x30\x03\x02\x01\x01"])
def test_ocsp_malformed_request(browser, body):
    response = browser.post("/ocsp", data=body, content_type="application/ocsp-request")
    answer = ocsp.load_der_ocsp_response(response.data)
    assert answer.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_ocsp_request_for_several_certificates_is_refused_cleanly(browser):
    from asn1crypto import ocsp as asn1_ocsp

    cert_id = asn1_ocsp.CertId(
        {
            "hash_algorithm": {"algorithm": "sha1"},
            "issuer_name_hash": b"n" * 20,
            "issuer_key_hash": b"k" * 20,
            "serial_number": 5,
        }
    )
    entries = [{"req_cert": cert_id}, {"req_cert": cert_id}]
    body = asn1_ocsp.OCSPRequest({"tbs_request": {"request_list": entries}}).dump()
    response = browser.post("/ocsp", data=body, content_type="application/ocsp-request")
    answer = ocsp.load_der_ocsp_response(response.data)
    assert answer.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_ocsp_get_with_bad_base64(browser):
    answer = ocsp.load_der_ocsp_response(browser.get("/ocsp/%%%").data)
    assert answer.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_ocsp_refuses_an_oversized_nonce(browser, parts, issue_card, ctx):
    request = ocsp_request(card_cert(issue_card()), parts.authority.issuing.certificate, b"n" * 33)
    answer = ocsp.load_der_ocsp_response(
        browser.post("/ocsp", data=request, content_type="application/ocsp-request").data
    )
    assert answer.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST  # RFC 8954 §2.1


def test_lost_card_form_revokes_at_once(browser, parts, issue_card, ctx):
    card = issue_card()
    page = browser.get("/lost")
    wrong = browser.post(
        "/lost",
        data={
            "csrf_token": csrf_token(page.data),
            "serial": card.serial,
            "national_id": MIKKO.national_id,
        },
    )
    assert wrong.status_code == 400 and b"no card with this number" in wrong.data
    assert ask_ocsp(browser, parts, card_cert(card)).certificate_status == ocsp.OCSPCertStatus.GOOD
    done = browser.post(
        "/lost",
        data={
            "csrf_token": csrf_token(page.data),
            "serial": card.serial,
            "national_id": AINO.national_id,
        },
    )
    assert done.status_code == 200 and b"has been revoked" in done.data
    assert cards.load_card(card.serial).status == LOST
    assert (
        ask_ocsp(browser, parts, card_cert(card)).certificate_status == ocsp.OCSPCertStatus.REVOKED
    )


def test_lost_card_form_needs_its_csrf_token(browser, issue_card, ctx):
    card = issue_card()
    response = browser.post("/lost", data={"serial": card.serial, "national_id": AINO.national_id})
    assert response.status_code == 400
    assert cards.load_card(card.serial).status == "active"


def test_ca_certificates_are_served(browser, parts):
    root = x509.load_der_x509_certificate(browser.get("/ca/root-ca.crt").data)
    issuing = x509.load_der_x509_certificate(browser.get("/ca/issuing-ca.crt").data)
    assert root == parts.authority.root and issuing == parts.authority.issuing.certificate
