"""The pure parts of card login: the token's signature, validity dates and the OCSP address."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from idp.authenticators.ic_card import webeid
from idp.authenticators.ic_card.certificate import check_dates
from idp.authenticators.ic_card.ocsp import responder_url
from idp.authenticators.ic_card.webeid import TokenRejected

from .ic_card_support import Pki
from .ic_card_support import form_token
from .ic_card_support import rsa_key
from .ic_card_support import sign_token

ORIGIN, CHALLENGE = "https://login.example.fi", base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


def test_the_signed_value_is_the_hash_of_both_hashes_concatenated():
    value = webeid.signed_value(ORIGIN, CHALLENGE, "sha384")
    assert value == (
        hashlib.sha384(ORIGIN.encode()).digest() + hashlib.sha384(CHALLENGE.encode()).digest()
    )


@pytest.mark.parametrize(
    ("algorithm", "key"),
    [
        ("ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
        ("ES384", lambda: ec.generate_private_key(ec.SECP384R1())),
        ("RS256", rsa_key),
        ("PS256", rsa_key),
    ],
)
def test_each_allowed_algorithm_verifies_and_binds_origin_and_challenge(pki, algorithm, key):
    card = pki.card(key=key())
    token = webeid.parse_token(form_token(sign_token(card, ORIGIN, CHALLENGE, algorithm)))
    webeid.check_signature(token, card.certificate, ORIGIN, CHALLENGE)
    for origin, challenge in [("https://evil.example", CHALLENGE), (ORIGIN, "A" * 43 + "=")]:
        with pytest.raises(TokenRejected, match="bad_signature"):
            webeid.check_signature(token, card.certificate, origin, challenge)


def test_an_ecdsa_signature_of_the_wrong_length_is_refused(pki):
    card = pki.card()
    token = sign_token(card, ORIGIN, CHALLENGE)
    short = base64.b64encode(base64.b64decode(token["signature"])[:-1]).decode()
    parsed = webeid.parse_token(form_token({**token, "signature": short}))
    with pytest.raises(TokenRejected, match="bad_signature"):
        webeid.check_signature(parsed, card.certificate, ORIGIN, CHALLENGE)


def test_the_parsed_token_keeps_the_certificate_and_version(pki):
    card = pki.card()
    parsed = webeid.parse_token(form_token(sign_token(card, ORIGIN, CHALLENGE)))
    assert x509.load_der_x509_certificate(parsed.certificate_der) == card.certificate
    assert parsed.app_version == "https://silta.example/reader/releases/1.0.0"


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SKEW = timedelta(seconds=60)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (NOW - timedelta(days=1), 10, NOW),
        (NOW + timedelta(seconds=59), 10, NOW + timedelta(seconds=59)),
        (NOW + timedelta(seconds=61), 10, "not_yet_valid"),
        (NOW - timedelta(days=10), 10, NOW - timedelta(days=10) + timedelta(days=10)),
        (NOW - timedelta(days=10, seconds=61), 10, "expired"),
    ],
    ids=["inside", "starts-within-skew", "starts-later", "ended-within-skew", "ended"],
)
def test_validity_dates_allow_the_configured_skew_and_no_more(pki, start, days, expected):
    certificate = pki.card(start=start, days=days).certificate
    if isinstance(expected, str):
        with pytest.raises(TokenRejected, match=expected):
            check_dates(certificate, NOW, SKEW)
    else:
        assert check_dates(certificate, NOW, SKEW) == expected.replace(microsecond=0)


def test_the_responder_is_the_configured_one_or_the_certificates_own(pki):
    certificate = pki.card(ocsp_url="http://ocsp.issuer.test/ocsp").certificate
    assert responder_url(certificate, "") == "http://ocsp.issuer.test/ocsp"
    assert responder_url(certificate, "http://override.test/ocsp") == "http://override.test/ocsp"


def test_a_certificate_without_an_http_responder_is_refused(pki):
    certificate = pki.card(ocsp_url="ldap://directory.test/ocsp").certificate
    with pytest.raises(TokenRejected, match="no_ocsp_responder"):
        responder_url(certificate, "")
