"""Helpers for the reader bridge's tests: its configuration, a live issuer, page flows, and an
independent check of the Web eID token (with `cryptography` only, none of the bridge's code).
"""

from __future__ import annotations

import base64
import html
import json
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from werkzeug.serving import make_server

from .support import READER_ID
from .support import READER_KEY
from .support import csrf_token

BROKER_ORIGIN = "https://broker.test"
OTHER_ORIGIN = "https://evil.test"
UNREACHABLE_ISSUER = "http://127.0.0.1:9"  # the discard port: nothing answers
MESSAGE = re.compile(r"data-origin=\"([^\"]*)\" data-message='([^']*)'")
NEW_PIN = "246810"


def reader_config(instance: Path, token_folder: Path, **overrides) -> dict:
    """A test bridge on the issuer's token folder, serving BROKER_ORIGIN."""
    return {
        "TESTING": True,
        "SECRET_KEY": "reader-secret-" + "s" * 32,
        "INSTANCE_PATH": str(instance),
        "TOKEN_FOLDER": str(token_folder),
        "ALLOWED_ORIGINS": BROKER_ORIGIN,
        "ISSUER_URL": UNREACHABLE_ISSUER,
        "VERIFIER_ID": READER_ID,
        "VERIFIER_KEY": READER_KEY,
        "ISSUER_TIMEOUT_SECONDS": 5,
        **overrides,
    }


@contextmanager
def live_server(app) -> Iterator[str]:
    """Serve a real app (the issuer) over HTTP on a free loopback port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def new_challenge() -> str:
    """A challenge as the broker makes it: standard base64 of 32 random bytes (44 characters)."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def sign_page(client, origin: str = BROKER_ORIGIN, challenge: str | None = None, **args):
    """GET the signing page as the broker's popup opens it."""
    query = {
        "origin": origin,
        "challenge": new_challenge() if challenge is None else challenge,
        **args,
    }
    return client.get("/sign", query_string=query)


def sign(client, serial: str, pin: str, origin: str = BROKER_ORIGIN, challenge: str | None = None):
    """Open the signing page and submit the card and PIN; returns (response, challenge)."""
    challenge = challenge or new_challenge()
    page = sign_page(client, origin, challenge)
    assert page.status_code == 200, page.get_data(as_text=True)
    response = client.post(
        "/sign",
        data={
            "csrf_token": csrf_token(page.data),
            "origin": origin,
            "challenge": challenge,
            "card": serial,
            "pin": pin,
        },
    )
    return response, challenge


def post_form(client, path: str, **fields):
    """GET a form page, then POST it with its CSRF token and `fields`."""
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(page.data), **fields})


def change_pin(client, serial: str, old: str, new: str, again: str | None = None):
    return post_form(
        client,
        "/pin/change",
        card=serial,
        old_pin=old,
        new_pin=new,
        new_pin_again=new if again is None else again,
    )


def unblock(client, serial: str, code: str, new: str = NEW_PIN):
    return post_form(client, "/pin/unblock", card=serial, code=code, new_pin=new, new_pin_again=new)


def handed_back(response) -> tuple[str, dict]:
    """The target origin and the message the result page posts to its opener."""
    match = MESSAGE.search(response.get_data(as_text=True))
    assert match, "the page hands nothing back"
    return html.unescape(match.group(1)), json.loads(html.unescape(match.group(2)))


def verify_web_eid(token: dict, origin: str, challenge: str) -> x509.Certificate:
    """Check a web-eid:1.0 token as a relying party would; return its certificate."""
    assert set(token) == {
        "unverifiedCertificate",
        "algorithm",
        "signature",
        "format",
        "appVersion",
    }
    assert token["format"] == "web-eid:1.0"
    assert token["appVersion"] == "https://silta.example/reader/releases/1.0.0"
    certificate = x509.load_der_x509_certificate(
        base64.b64decode(token["unverifiedCertificate"], validate=True)
    )
    signature = base64.b64decode(token["signature"], validate=True)
    hash_algorithm = {"ES256": hashes.SHA256(), "ES384": hashes.SHA384(), "RS256": hashes.SHA256()}
    algorithm = hash_algorithm[token["algorithm"]]

    def h(data: bytes) -> bytes:
        digest = hashes.Hash(algorithm)
        digest.update(data)
        return digest.finalize()

    signed_data = h(origin.encode()) + h(challenge.encode())  # signed as H(signed_data)
    key = certificate.public_key()
    if token["algorithm"].startswith("ES"):
        half = len(signature) // 2
        assert len(signature) == 2 * ((key.curve.key_size + 7) // 8)  # raw R‖S
        der = encode_dss_signature(
            int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
        )
        key.verify(der, signed_data, ec.ECDSA(algorithm))
    else:
        key.verify(signature, signed_data, padding.PKCS1v15(), algorithm)
    return certificate
