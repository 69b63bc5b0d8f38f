"""Helpers for the card tests: configuration, credentials, CSRF tokens, OCSP requests."""

from __future__ import annotations

import base64
import re
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp

from card_mock.issuer.holders import DEMO_HOLDERS
from card_mock.issuer.passwords import hash_secret
from card_mock.issuer.verifiers import HOLDERS_READ
from card_mock.issuer.verifiers import RESET_CODES_VERIFY
from card_mock.issuer.verifiers import hash_api_key

BROKER_ID, BROKER_KEY = "silta-broker", "broker-key-" + "k" * 32
READER_ID, READER_KEY = "silta-reader", "reader-key-" + "r" * 32
OFFICIAL_ID, OFFICIAL_PASSWORD = "helsinki-1", "desk password of Helsinki 1"
PIN = "1234"
AINO, MIKKO = DEMO_HOLDERS[0], DEMO_HOLDERS[1]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@cache
def official_hash() -> str:
    return hash_secret(OFFICIAL_PASSWORD)


def issuer_config(instance, **overrides) -> dict:
    """A test issuer: its own instance folder (CA, register, token folder), known parties."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-" + "s" * 32,
        "INSTANCE_PATH": str(instance),
        "ISSUER_URL": "http://issuer.test",
        "SEED_DEMO_HOLDERS": True,
        "VERIFIERS": [
            {
                "id": BROKER_ID,
                "api_key_sha256": hash_api_key(BROKER_KEY),
                "permissions": [HOLDERS_READ],
            },
            {
                "id": READER_ID,
                "api_key_sha256": hash_api_key(READER_KEY),
                "permissions": [RESET_CODES_VERIFY],
            },
        ],
        "DESK_OFFICIALS": [
            {"id": OFFICIAL_ID, "name": "Aino Official", "password_hash": official_hash()}
        ],
        **overrides,
    }


def csrf_token(page: bytes) -> str:
    match = CSRF.search(page.decode())
    assert match, "the page has no CSRF token"
    return match.group(1)


def ocsp_request(
    cert: x509.Certificate,
    issuer: x509.Certificate,
    nonce: bytes | None = None,
    algorithm: hashes.HashAlgorithm | None = None,
) -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, algorithm or hashes.SHA256())
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(Encoding.DER)


def ocsp_get_path(request_der: bytes) -> str:
    """RFC 6960 Appendix A.1: the URL-encoded base64 of the DER request."""
    from urllib.parse import quote

    return "/ocsp/" + quote(base64.b64encode(request_der).decode(), safe="")
