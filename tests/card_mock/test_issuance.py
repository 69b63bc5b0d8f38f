"""Issuance on a real SoftHSM2 token: key generated on the card, never extractable, certified."""

from __future__ import annotations

import hashlib
from datetime import UTC
from datetime import datetime

import pkcs11
import pytest
import sqlalchemy as sa
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import AuthorityInformationAccessOID
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import Criticality
from cryptography.x509.verification import ExtensionPolicy
from cryptography.x509.verification import PolicyBuilder
from cryptography.x509.verification import Store
from pkcs11 import Attribute

from card_mock.issuer import models
from card_mock.issuer.issuance import IssuanceError
from card_mock.issuer.issuance import issue
from card_mock.token import Card
from card_mock.token import card_label
from card_mock.token.signatures import ecdsa_der_to_raw
from card_mock.token.signatures import ecdsa_raw_to_der
from card_mock.token.signatures import verify_digest

from .support import AINO
from .support import PIN


def open_card(parts, serial: str, pin: str = PIN):
    token = parts.tokens.find(card_label(serial))
    assert token is not None, f"no token labelled {card_label(serial)}"
    return Card.open(token, pin=pin)


def test_key_is_generated_on_the_token_and_never_leaves_it(issue_card, parts):
    card = issue_card()
    with open_card(parts, card.serial) as opened:
        key = opened.private_key()
        assert key[Attribute.SENSITIVE] is True
        assert key[Attribute.EXTRACTABLE] is False
        assert key[Attribute.ALWAYS_SENSITIVE] is True
        assert key[Attribute.NEVER_EXTRACTABLE] is True
        assert key[Attribute.LOCAL] is True  # generated on the token, not imported
        with pytest.raises(pkcs11.AttributeSensitive):
            key[Attribute.VALUE]
        on_token = opened.certificate()
    assert on_token is not None
    assert on_token == x509.load_der_x509_certificate(card.certificate)


def test_certificate_profile(issue_card, parts):
    cert = x509.load_der_x509_certificate(issue_card().certificate)
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == AINO.eid
    assert AINO.national_id not in subject.rfc4514_string()
    assert subject.get_attributes_for_oid(NameOID.SURNAME)[0].value == AINO.family_name
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature
    assert not (usage.value.key_cert_sign or usage.value.key_encipherment)
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    cdp = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert cdp[0].full_name[0].value == "http://issuer.test/crl/issuing-ca.crl"
    aia = {
        d.access_method: d.access_location.value
        for d in cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    }
    assert aia[AuthorityInformationAccessOID.OCSP] == "http://issuer.test/ocsp"
    assert aia[AuthorityInformationAccessOID.CA_ISSUERS] == "http://issuer.test/ca/issuing-ca.crt"
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ski == x509.SubjectKeyIdentifier.from_public_key(cert.public_key())
    assert cert.not_valid_before_utc <= datetime.now(UTC) < cert.not_valid_after_utc


def test_certificate_chains_to_the_root_as_a_client_certificate(issue_card, parts):
    cert = x509.load_der_x509_certificate(issue_card().certificate)
    # A card certificate names its holder in the subject, not in a subjectAltName as the Web
    # PKI's client profile expects; everything else is checked with that profile's defaults.
    ee_policy = ExtensionPolicy.webpki_defaults_ee().may_be_present(
        x509.SubjectAlternativeName, Criticality.AGNOSTIC, None
    )
    verifier = (
        PolicyBuilder()
        .store(Store([parts.authority.root]))
        .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ee_policy)
        .build_client_verifier()
    )
    chain = verifier.verify(cert, [parts.authority.issuing.certificate]).chain
    assert chain[-1] == parts.authority.root


@pytest.mark.parametrize("algorithm", ["EC-P256", "RSA-2048"])
def test_a_digest_signed_by_the_card_verifies_against_its_certificate(issue_card, parts, algorithm):
    card = issue_card(algorithm=algorithm)
    cert = x509.load_der_x509_certificate(card.certificate)
    kind = ec.EllipticCurvePublicKey if algorithm == "EC-P256" else rsa.RSAPublicKey
    assert isinstance(cert.public_key(), kind)
    digest = hashlib.sha256(b"challenge").digest()
    with open_card(parts, card.serial) as opened:
        signature = opened.sign_digest(digest, hashes.SHA256())
    if algorithm == "EC-P256":
        assert len(signature) == 64  # raw R‖S, as Web eID sends it
        assert ecdsa_der_to_raw(ecdsa_raw_to_der(signature), 32) == signature
    verify_digest(cert.public_key(), signature, digest, hashes.SHA256())
    with pytest.raises(InvalidSignature):
        verify_digest(
            cert.public_key(), signature, hashlib.sha256(b"other").digest(), hashes.SHA256()
        )


def test_the_pin_opens_the_card_and_a_wrong_one_does_not(issue_card, parts):
    card = issue_card()
    with pytest.raises(pkcs11.PinIncorrect), open_card(parts, card.serial, pin="9999"):
        pass


def test_register_and_journal_record_the_card(issue_card, issuer_app):
    card = issue_card()
    with issuer_app.app_context():
        stored = models.db.session.get(models.Card, card.serial)
        journal = models.db.session.get(models.Issuance, card.serial)
        assert stored.status == models.ACTIVE
        assert journal.state == models.ISSUED and journal.certificate == stored.certificate


@pytest.mark.parametrize(
    ("eid", "pin", "problem"),
    [
        ("999999999A", "1234", "No holder"),
        ("100000001V", "12", "4 to 12 digits"),
        ("100000001V", "abcd", "4 to 12 digits"),
    ],
)
def test_refused_issuance_changes_nothing(issuer_app, parts, eid, pin, problem):
    with issuer_app.app_context():
        with pytest.raises(IssuanceError, match=problem):
            issue(parts, eid, pin, "EC-P256")
        assert (
            models.db.session.scalar(sa.select(sa.func.count()).select_from(models.Issuance)) == 0
        )
    assert parts.tokens.labels() == []
