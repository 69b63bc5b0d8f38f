"""A small card PKI and card authority for the ID-card verifier's tests.

Certificates are built with `cryptography` in the shape the issuer gives them (card_mock's
card_profile.py), with knobs to break one thing at a time. The authority is a real HTTP server
on loopback: holder look-up, health and an RFC 6960 OCSP responder whose answers a test can
turn good, revoked, stale, wrongly signed or down.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID
from flask import Flask
from flask import Response
from flask import jsonify
from flask import request
from werkzeug.serving import make_server

from idp import create_app
from idp.extensions import db
from idp.storage.models import AuthorizationCode
from idp.storage.models import CardChallenge
from idp.storage.models import ExternalIdentity
from idp.storage.models import LoginSession
from idp.storage.models import Person
from tests.conftest import empty_tables
from tests.conftest import register
from tests.support.flow import Flow
from tests.support.flow import counts
from tests.support.flow import csrf_token
from tests.support.settings import test_config

VERIFIER_ID, VERIFIER_SECRET = "silta-broker", "broker-secret-" + "b" * 32
AINO = {
    "eid": "100000001V",
    "national_identity_number": "010170-999R",
    "given_name": "Aino",
    "family_name": "Virtanen",
    "birthdate": "1970-01-01",
}


def name(common_name: str, **extra: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "FI")]
    if "serial" in extra:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, extra["serial"]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def key_usage(signature: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class Signer:
    certificate: x509.Certificate
    key: object


def _builder(subject: x509.Name, public_key, issuer: Signer | None, days: int, start=None):
    now = start or datetime.now(UTC) - timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    signer_key = issuer.key.public_key() if issuer else public_key
    return builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key), critical=False
    )


def new_ca(common_name: str, parent: Signer | None = None) -> Signer:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        _builder(name(common_name), key.public_key(), parent, 3650)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None if parent else 1), True)
        .add_extension(key_usage(False, True), critical=True)
    )
    return Signer(builder.sign(parent.key if parent else key, hashes.SHA256()), key)


def new_responder(issuing: Signer, eku=ExtendedKeyUsageOID.OCSP_SIGNING) -> Signer:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        _builder(name("Test OCSP Responder"), key.public_key(), issuing, 30)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage(True, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
        .add_extension(x509.OCSPNoCheck(), critical=False)
    )
    return Signer(builder.sign(issuing.key, hashes.SHA256()), key)


@dataclass
class Pki:
    """Root, card-issuing CA and delegated OCSP responder; issues test cards."""

    ocsp_url: str = "http://127.0.0.1:9/ocsp"
    root: Signer = field(init=False)
    issuing: Signer = field(init=False)
    responder: Signer = field(init=False)

    def __post_init__(self) -> None:
        self.root = new_ca("Test Root CA")
        self.issuing = new_ca("Test Card Issuing CA", self.root)
        self.responder = new_responder(self.issuing)

    def trusted_pem(self) -> bytes:
        return self.issuing.certificate.public_bytes(serialization.Encoding.PEM)

    def card(
        self,
        *,
        eid: str = AINO["eid"],
        key=None,
        issuer: Signer | None = None,
        start: datetime | None = None,
        days: int = 365,
        signature: bool = True,
        eku=ExtendedKeyUsageOID.CLIENT_AUTH,
        ocsp_url: str | None = None,
    ) -> Signer:
        key = key or ec.generate_private_key(ec.SECP256R1())
        issuer = issuer or self.issuing
        access = [
            x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP,
                x509.UniformResourceIdentifier(ocsp_url or self.ocsp_url),
            )
        ]
        builder = (
            _builder(name("Aino Virtanen", serial=eid), key.public_key(), issuer, days, start)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(key_usage(signature, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
            .add_extension(x509.AuthorityInformationAccess(access), critical=False)
        )
        return Signer(builder.sign(issuer.key, hashes.SHA256()), key)


def sign_token(
    card: Signer, origin: str, challenge: str, algorithm: str = "ES256", **changes
) -> dict:
    """The token a reader bridge returns: H(H(origin) ‖ H(challenge)) signed by the card."""
    hash_name, chosen = {
        "ES256": ("sha256", hashes.SHA256()),
        "ES384": ("sha384", hashes.SHA384()),
        "RS256": ("sha256", hashes.SHA256()),
        "PS256": ("sha256", hashes.SHA256()),
    }.get(algorithm, ("sha256", hashes.SHA256()))
    data = hashlib.new(hash_name, origin.encode()).digest()
    data += hashlib.new(hash_name, challenge.encode()).digest()
    if isinstance(card.key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(card.key.sign(data, ec.ECDSA(chosen)))
        size = (card.key.curve.key_size + 7) // 8
        signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    elif algorithm == "PS256":
        signature = card.key.sign(data, padding.PSS(padding.MGF1(chosen), 32), chosen)
    else:
        signature = card.key.sign(data, padding.PKCS1v15(), chosen)
    token = {
        "unverifiedCertificate": base64.b64encode(
            card.certificate.public_bytes(serialization.Encoding.DER)
        ).decode(),
        "algorithm": algorithm,
        "signature": base64.b64encode(signature).decode(),
        "format": "web-eid:1.0",
        "appVersion": "https://silta.example/reader/releases/1.0.0",
    }
    token.update(changes)
    return token


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Authority:
    """What the in-test card authority answers; tests change it, the fixture resets it."""

    pki: Pki
    holders: dict = field(default_factory=lambda: {AINO["eid"]: dict(AINO)})
    revoked: set = field(default_factory=set)
    ocsp_mode: str = "good"
    ocsp_calls: int = 0
    lookups: int = 0
    url: str = ""

    def reset(self) -> None:
        self.holders = {AINO["eid"]: dict(AINO)}
        self.revoked, self.ocsp_mode, self.ocsp_calls, self.lookups = set(), "good", 0, 0

    def ocsp_answer(self, der: bytes) -> Response:
        self.ocsp_calls += 1
        mode = self.ocsp_mode
        if mode == "down":
            return Response("unavailable", status=503)
        if mode == "slow":
            time.sleep(2.5)
        if mode == "garbage":
            return Response(b"\x30\x03\x0a\x01", mimetype="application/ocsp-response")
        if mode == "try_later":
            built = ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.TRY_LATER)
            return Response(built.public_bytes(serialization.Encoding.DER))
        asked = ocsp.load_der_ocsp_request(der)
        now = datetime.now(UTC)
        this_update = now - timedelta(hours=1) if mode == "stale" else now
        status = ocsp.OCSPCertStatus.GOOD
        if asked.serial_number in self.revoked:
            status = ocsp.OCSPCertStatus.REVOKED
        if mode == "unknown":
            status = ocsp.OCSPCertStatus.UNKNOWN
        responder = self.pki.responder
        if mode == "wrong_responder":  # a responder certified by some other CA
            responder = new_responder(new_ca("Test Card Issuing CA"))
        if mode == "not_for_ocsp":  # certified by the right CA, but not for OCSP signing
            responder = new_responder(self.pki.issuing, ExtendedKeyUsageOID.CLIENT_AUTH)
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response_by_hash(
                issuer_name_hash=asked.issuer_name_hash,
                issuer_key_hash=asked.issuer_key_hash,
                serial_number=asked.serial_number + (1 if mode == "other_certificate" else 0),
                algorithm=asked.hash_algorithm,
                cert_status=status,
                this_update=this_update,
                next_update=this_update + timedelta(minutes=10),
                revocation_time=now - timedelta(minutes=1)
                if status == ocsp.OCSPCertStatus.REVOKED
                else None,
                revocation_reason=x509.ReasonFlags.key_compromise
                if status == ocsp.OCSPCertStatus.REVOKED
                else None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, responder.certificate)
            .certificates([responder.certificate])
        )
        nonce = asked.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
        if mode == "wrong_nonce":
            nonce = b"\x00" * 32
        if mode != "no_nonce":
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        signed = builder.sign(responder.key, hashes.SHA256())
        der = signed.public_bytes(serialization.Encoding.DER)
        if mode == "bad_signature":  # the last octet of s changed: still DER, no longer valid
            signature = signed.signature
            der = der.replace(signature, signature[:-1] + bytes([signature[-1] ^ 1]))
        return Response(der, mimetype="application/ocsp-response")


def authority_app(state: Authority) -> Flask:
    app = Flask("test_card_authority")

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/api/holders/<eid>")
    def holder(eid: str):
        state.lookups += 1
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (VERIFIER_ID, VERIFIER_SECRET):
            return jsonify(error="unauthenticated"), 401
        if eid not in state.holders:
            return jsonify(error="not_found"), 404
        return jsonify(state.holders[eid])

    @app.post("/ocsp")
    def answer():
        return state.ocsp_answer(request.get_data())

    return app


class Served:
    """A WSGI app on a free loopback port, served from a thread."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)


def form_token(token: dict) -> str:
    return json.dumps(token)


# -- fixtures: imported by the test_ic_card_* modules ----------------------------------------------
ORIGIN = "http://127.0.0.1:8400"  # the test broker's ISSUER, so its origin
READER = "http://127.0.0.1:8421"  # SILTA_CARD_READER_URL's default
CHALLENGE = re.compile(r'name="challenge" value="([^"]+)"')


@pytest.fixture(scope="module", name="authority")
def authority_fixture():
    pki = Pki()
    state = Authority(pki)
    served = Served(authority_app(state))
    pki.ocsp_url = served.url + "/ocsp"
    state.url = served.url
    yield state
    served.stop()


def card_config(database: str, authority: Authority, folder, **overrides) -> dict:
    trusted = folder / "trusted-cas.pem"
    trusted.write_bytes(authority.pki.trusted_pem())
    return test_config(
        database,
        CARD_ISSUER_URL=authority.url,
        CARD_TRUSTED_CA_FILE=str(trusted),
        CARD_VERIFIER_SECRET=VERIFIER_SECRET,
        CARD_TIMEOUT=1.0,
        CARD_HEALTH_INTERVAL=60.0,
        **overrides,
    )


@pytest.fixture(scope="module", name="card_app")
def card_app_fixture(database, authority, tmp_path_factory):
    app = create_app(card_config(database, authority, tmp_path_factory.mktemp("card")))
    yield app
    with app.app_context():
        db.engine.dispose()


@dataclass
class CardLogin:
    """One browser logging in to a service with an ID card at the test broker."""

    app: object
    authority: Authority
    flow: Flow
    last: object = None
    page: object = None

    def start(self, **authorize) -> str:
        """Authorize, open the card page; return the challenge it carries."""
        self.flow.authorize(**authorize)
        return self.reload()

    def reload(self) -> str:
        """Open the card page (again); return the new challenge it carries."""
        page = self.flow.browser.get(f"{self.flow.interaction}/method/id-card/")
        assert page.status_code == 200, page.get_data(as_text=True)[:300]
        self.last = self.page = page
        return CHALLENGE.search(page.get_data(as_text=True)).group(1)

    def present(self, token: dict | str, challenge: str, interaction: str | None = None):
        """POST the token as the page does; returns the broker's answer."""
        where = interaction or self.flow.interaction
        page_token = csrf_token(self.page.get_data(as_text=True))
        self.last = self.flow.browser.post(
            f"{where}/method/id-card/continue",
            data={
                "csrf_token": page_token,
                "challenge": challenge,
                "token": token if isinstance(token, str) else json.dumps(token),
            },
        )
        return self.last

    def stored(self) -> dict[str, int]:
        with self.app.app_context():
            return counts(db.session, LoginSession, Person, ExternalIdentity, AuthorizationCode)

    def challenge_used(self, challenge: str) -> bool:
        with self.app.app_context():
            return db.session.get(CardChallenge, challenge).used_at is not None


@pytest.fixture(name="card")
def card_fixture(card_app, authority) -> CardLogin:
    empty_tables(card_app)
    authority.reset()
    return CardLogin(card_app, authority, Flow(card_app.test_client(), register(card_app)))


NOTHING = {"LoginSession": 0, "Person": 0, "ExternalIdentity": 0, "AuthorizationCode": 0}
