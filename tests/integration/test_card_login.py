"""ID-card login through the broker with real cards (issue #4, broker side).

The real issuing authority (card_mock.issuer) issues cards onto SoftHSM2 tokens and answers
OCSP and the holder look-up over HTTP; the broker and three mock banks run as live servers. The
scripted citizen's "reader bridge" signs the challenge with the card layer (card_mock.token)
exactly as the bridge does: H(H(origin) ‖ H(challenge)) with the card's key, behind its PIN.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from bank_mock import customers
from card_mock.issuer import create_app as create_issuer
from card_mock.issuer.cards import revoke
from card_mock.issuer.config import DEBIAN_SOFTHSM2
from card_mock.issuer.extensions import db as issuer_db
from card_mock.issuer.issuance import issue
from card_mock.token import Card
from card_mock.token import card_label
from idp.extensions import db
from idp.storage.models import AuthorizationCode
from idp.storage.models import ExternalIdentity
from idp.storage.models import LoginSession
from idp.storage.models import Person
from tests.card_mock.support import AINO
from tests.card_mock.support import MIKKO
from tests.card_mock.support import PIN
from tests.card_mock.support import issuer_config
from tests.conftest import empty_tables
from tests.conftest import register
from tests.support.citizen import Citizen
from tests.support.citizen import account
from tests.support.citizen import finish
from tests.support.citizen import redeem
from tests.support.federation import BANKS
from tests.support.federation import start
from tests.support.flow import csrf_token

pytestmark = pytest.mark.live
REDIRECT_URI = "https://tax.example/callback"
LOA3 = "http://ftn.ficora.fi/2017/loa3"
CHALLENGE = re.compile(r'name="challenge" value="([^"]+)"')


@dataclass
class World:
    fed: object
    issuer: object
    issuer_url: str
    cards: dict[str, str]  # name -> card serial
    bridge_url: str  # the real reader bridge (card_mock.reader) on the issuer's token folder


def _issue(issuer_app, holder, algorithm: str = "EC-P256") -> str:
    with issuer_app.app_context():
        card = issue(issuer_app.extensions["card.issuer"], holder.eid, PIN, algorithm)
        return card.serial


@pytest.fixture(scope="module")
def world(database, tmp_path_factory):
    assert Path(DEBIAN_SOFTHSM2).exists(), "SoftHSM2 is missing: run `make .venv/.softhsm`."
    folder = tmp_path_factory.mktemp("card-world")
    fed = start(
        database,
        folder,
        card=True,
        CARD_TIMEOUT=5.0,
        DEV_AUTHENTICATOR=False,  # the methods offered are the real ones only
    )
    try:
        authority = fed.running.parties["issuer"]
        # The test's own app on the authority's instance issues the cards onto its tokens.
        issuer = create_issuer(issuer_config(Path(authority.folder), ISSUER_URL=authority.url))
        cards = {
            "aino": _issue(issuer, AINO),
            "aino_rsa": _issue(issuer, AINO, "RSA-2048"),
            "mikko": _issue(issuer, MIKKO),
        }
    except BaseException:
        fed.stop()
        raise
    yield World(fed, issuer, authority.url, cards, fed.url("reader"))
    fed.stop()
    with issuer.app_context():
        issuer_db.engine.dispose()


@pytest.fixture
def citizen(world):
    empty_tables(world.fed.broker)
    for bank_id in BANKS:
        world.fed.set_scenario(bank_id, "")
    return Citizen(world.fed, register(world.fed.broker, redirect_uris=[REDIRECT_URI]))


def present_card(citizen: Citizen, world: World, serial: str) -> requests.Response:
    """On the method choice: open the card page, let the card sign, post the token."""
    page = citizen.get(f"{citizen.interaction}/method/id-card/")
    assert page.status_code == 200, page.text[:400]
    challenge = CHALLENGE.search(page.text).group(1)
    token = bridge_sign(world, serial, world.fed.broker_url, challenge)
    return citizen.follow(
        citizen.post(
            f"{citizen.interaction}/method/id-card/continue",
            {
                "csrf_token": csrf_token(page.text),
                "challenge": challenge,
                "token": json.dumps(token),
            },
        )
    )


def bridge_sign(world: World, serial: str, origin: str, challenge: str) -> dict:
    """What the reader bridge does after the PIN: sign with the card, build the Web eID token."""
    tokens = world.issuer.extensions["card.issuer"].tokens
    tokens.refresh()
    with Card.open(tokens.find(card_label(serial)), pin=PIN) as card:
        certificate = card.certificate()
        ec_card = isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
        hashed = hashlib.sha256(origin.encode()).digest()
        hashed += hashlib.sha256(challenge.encode()).digest()
        signature = card.sign_digest(hashlib.sha256(hashed).digest(), hashes.SHA256())
    return {
        "unverifiedCertificate": base64.b64encode(certificate.public_bytes(Encoding.DER)).decode(),
        "algorithm": "ES256" if ec_card else "RS256",
        "signature": base64.b64encode(signature).decode(),
        "format": "web-eid:1.0",
        "appVersion": "https://silta.example/reader/releases/1.0.0",
    }


def count(world: World, model) -> int:
    with world.fed.broker.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("card", ["aino", "aino_rsa"], ids=["EC-P256-ES256", "RSA-2048-RS256"])
def test_a_citizen_logs_in_with_a_real_card(world, citizen, card):
    citizen.authorize()
    claims = finish(citizen, present_card(citizen, world, world.cards[card]))
    assert claims["acr"] == LOA3
    assert claims["amr"] == ["sc", "pin", "hwk"]
    assert claims["urn:oid:1.2.246.21"] == AINO.national_id
    assert (claims["given_name"], claims["family_name"]) == ("Aino", "Virtanen")
    assert claims["birthdate"] == "1970-01-01"
    with world.fed.broker.app_context():
        identity = db.session.execute(db.select(ExternalIdentity)).scalar_one()
        assert (identity.method, identity.issuer, identity.subject) == (
            "id-card",
            world.issuer_url,
            AINO.eid,
        )


def test_a_revoked_card_is_refused_and_nothing_is_stored(world, citizen):
    with world.issuer.app_context():
        revoke(world.cards["mikko"])
    citizen.authorize()
    page = present_card(citizen, world, world.cards["mikko"])
    assert page.status_code == 400
    assert "<code>card_revoked</code>" in page.text and "Apply for a new card" in page.text
    for model in (LoginSession, AuthorizationCode, ExternalIdentity, Person):
        assert count(world, model) == 0, model.__name__


def test_the_same_citizen_by_bank_and_by_card_gets_the_same_pairwise_sub(world, citizen):
    by_bank = finish_bank(citizen)
    citizen.session.cookies.clear()  # another browser: no single sign-on
    citizen.authorize()
    by_card = finish(citizen, present_card(citizen, world, world.cards["aino"]))
    assert by_card["sub"] == by_bank["sub"]
    assert count(world, Person) == 1 and count(world, ExternalIdentity) == 2


def finish_bank(citizen: Citizen) -> dict:
    callback = citizen.log_in_with_bank("aurora", account("aurora", customers.AINO))
    return redeem(citizen, callback["code"])


def test_step_up_from_a_bank_session_offers_only_the_card(world, citizen):
    by_bank = finish_bank(citizen)
    assert by_bank["acr"] == "http://ftn.ficora.fi/2017/loa2"
    choice = citizen.authorize(acr_values=LOA3)  # the same browser, with its bank session
    assert "/method/id-card/" in choice.text
    assert "/method/bank-" not in choice.text
    by_card = finish(citizen, present_card(citizen, world, world.cards["aino"]))
    assert by_card["acr"] == LOA3 and by_card["sub"] == by_bank["sub"]


def test_a_citizen_logs_in_through_the_real_reader_bridge(world, citizen):
    citizen.authorize()
    page = citizen.get(f"{citizen.interaction}/method/id-card/")
    reader = requests.Session()  # the bridge's own window: its own cookies
    status = reader.get(
        f"{world.bridge_url}/api/status", headers={"Origin": world.fed.broker_url}, timeout=10
    )
    assert status.json()["app"] == "silta-reader" and status.json()["cards"] >= 1
    assert status.headers["Access-Control-Allow-Origin"] == world.fed.broker_url
    sign_url = html.unescape(re.search(r'data-sign-url="([^"]+)"', page.text).group(1))
    assert sign_url.startswith(f"{world.bridge_url}/sign?")
    sign_page = reader.get(sign_url, timeout=10)
    assert sign_page.status_code == 200 and world.fed.broker_url in sign_page.text
    challenge = CHALLENGE.search(page.text).group(1)
    result = reader.post(
        f"{world.bridge_url}/sign",
        data={
            "csrf_token": bridge_csrf(sign_page.text),
            "origin": world.fed.broker_url,
            "challenge": challenge,
            "card": world.cards["aino"],
            "pin": PIN,
        },
        timeout=10,
    )
    assert result.status_code == 200, result.text[:400]
    target, message = handed_back(result.text)
    assert target == world.fed.broker_url and message["type"] == "silta-reader:token"
    answer = citizen.follow(
        citizen.post(
            f"{citizen.interaction}/method/id-card/continue",
            {
                "csrf_token": csrf_token(page.text),
                "challenge": challenge,
                "token": json.dumps(message["token"]),
            },
        )
    )
    claims = finish(citizen, answer)
    assert claims["acr"] == LOA3 and claims["urn:oid:1.2.246.21"] == AINO.national_id


def bridge_csrf(text: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)


def handed_back(text: str) -> tuple[str, dict]:
    """What the bridge's result page posts to its opener (reader.js): target origin, message."""
    found = re.search(r"data-origin=\"([^\"]*)\" data-message='([^']*)'", text)
    return html.unescape(found.group(1)), json.loads(html.unescape(found.group(2)))
