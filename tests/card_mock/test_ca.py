"""The authority's CAs and delegated OCSP responder: made once, RFC 5280 profiles, 0600 keys."""

from __future__ import annotations

import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from card_mock.issuer import ca


def ext(cert: x509.Certificate, kind):
    return cert.extensions.get_extension_for_class(kind)


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    instance = tmp_path_factory.mktemp("ca")
    assert ca.create(instance, "EC-P256") is True
    return instance, ca.load(instance, "EC-P256")


def test_created_once_and_keys_are_private(authority):
    instance, loaded = authority
    assert ca.create(instance, "EC-P256") is False  # a second init keeps the CA
    assert ca.load(instance, "EC-P256").root == loaded.root
    folder = ca.ca_folder(instance)
    for key in ("root-ca.key.pem", "issuing-ca.key.pem", ca.RESPONDER_FILE):
        assert stat.S_IMODE((folder / key).stat().st_mode) == 0o600
    assert not list(instance.glob(".ca-*"))  # no staging folder left behind


def test_root_profile(authority):
    root = authority[1].root
    assert root.issuer == root.subject
    constraints = ext(root, x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 1
    usage = ext(root, x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
    assert not usage.value.digital_signature
    ski = ext(root, x509.SubjectKeyIdentifier).value
    assert ext(root, x509.AuthorityKeyIdentifier).value.key_identifier == ski.digest
    assert isinstance(root.public_key(), ec.EllipticCurvePublicKey)


def test_issuing_profile(authority):
    loaded = authority[1]
    issuing = loaded.issuing.certificate
    issuing.verify_directly_issued_by(loaded.root)
    constraints = ext(issuing, x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
    assert ext(issuing, x509.KeyUsage).critical
    assert ext(issuing, x509.AuthorityKeyIdentifier).value.key_identifier == (
        ext(loaded.root, x509.SubjectKeyIdentifier).value.digest
    )
    years = (issuing.not_valid_after_utc - issuing.not_valid_before_utc).days // 365
    assert years == 10


def test_delegated_responder_profile(authority):
    loaded = authority[1]
    responder = loaded.responder.certificate
    responder.verify_directly_issued_by(loaded.issuing.certificate)
    assert ext(responder, x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.OCSP_SIGNING]
    )
    assert ext(responder, x509.OCSPNoCheck)  # RFC 6960 §4.2.2.2.1
    assert not ext(responder, x509.BasicConstraints).value.ca
    assert ext(responder, x509.KeyUsage).value.digital_signature
    assert (responder.not_valid_after_utc - responder.not_valid_before_utc).days <= 31


def test_rsa_authority(tmp_path):
    ca.create(tmp_path, "RSA-2048")
    loaded = ca.load(tmp_path, "RSA-2048")
    assert isinstance(loaded.root.public_key(), rsa.RSAPublicKey)
    assert loaded.root.public_key().key_size == 2048
    loaded.issuing.certificate.verify_directly_issued_by(loaded.root)


def test_load_without_init_names_the_command(tmp_path):
    with pytest.raises(ca.AuthorityMissing, match="silta-card issuer init"):
        ca.load(tmp_path, "EC-P256")
