"""The live federation of tests/support/federation.py plus the real Benefits Office, served from a
child process so that the simulation measures the servers' CPU apart from its own."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from pathlib import Path

START_SECONDS = 120
BENEFITS_SECRET = "policy-sim-test-secret-" + "b" * 32


def _card_world(root: Path, card_holders: int):
    """The real issuer with `card_holders` new holders, each with an EC card (PIN 1234)."""
    from card_mock.issuer import create_app as create_issuer
    from card_mock.issuer.extensions import db
    from card_mock.issuer.identifiers import eid_for
    from card_mock.issuer.identifiers import hetu_birthdate
    from card_mock.issuer.identifiers import hetu_for
    from card_mock.issuer.issuance import issue
    from card_mock.issuer.models import Holder
    from tests.card_mock.support import PIN
    from tests.card_mock.support import issuer_config
    from tests.support import federation

    server = federation.Server()
    issuer = create_issuer(issuer_config(root / "issuer", ISSUER_URL=server.url))
    server.serve(issuer)
    cards = []
    with issuer.app_context():
        for k in range(card_holders):
            # Individual number 901 and 1980s birthdates: no bank customer has these HETUs.
            hetu = hetu_for(date(1980, 1, 1) + timedelta(days=k), 901)
            eid = eid_for(200_000_000 + k)
            db.session.add(
                Holder(
                    eid=eid,
                    national_id=hetu,
                    given_name="Card",
                    family_name=f"Holder {k}",
                    birthdate=hetu_birthdate(hetu),
                )
            )
            db.session.commit()
            card = issue(issuer.extensions["card.issuer"], eid, PIN, "EC-P256")
            cards.append({"serial": card.serial, "pin": PIN, "person": hetu})
    return server, issuer, cards


def _serve(database: str, workdir: str, synthetic: int, card_holders: int, conn) -> None:
    """Child process: start everything, report the URLs and pid, serve until told to stop."""
    from bank_mock.seed import seed
    from card_mock.reader import create_app as create_bridge
    from idp import clients
    from relying_parties import create_app as create_service
    from relying_parties import services
    from relying_parties.registration import registration
    from tests.card_mock.reader_support import reader_config
    from tests.card_mock.support import BROKER_KEY
    from tests.card_mock.support import OFFICIAL_ID
    from tests.card_mock.support import OFFICIAL_PASSWORD
    from tests.conftest import empty_tables
    from tests.support import federation

    root = Path(workdir)
    issuer_server, issuer, cards = _card_world(root, card_holders)
    bridge_server = federation.Server()
    fed = federation.start(
        database,
        root,
        CARD_ISSUER_URL=issuer_server.url,
        CARD_TRUSTED_CA_FILE=str(root / "issuer" / "ca" / "issuing-ca.crt.pem"),
        CARD_VERIFIER_SECRET=BROKER_KEY,
        CARD_READER_URL=bridge_server.url,
        CARD_TIMEOUT=5.0,
        DEV_AUTHENTICATOR=False,
    )
    tokens = issuer.extensions["card.issuer"].tokens
    bridge_server.serve(
        create_bridge(
            reader_config(
                root / "reader",
                tokens.folder,
                ALLOWED_ORIGINS=fed.broker_url,
                ISSUER_URL=issuer_server.url,
            )
        )
    )
    fed.servers += [issuer_server, bridge_server]
    for bank_id, app in fed.banks.items():
        with app.app_context():
            seed(bank_id, synthetic)
    server = federation.Server()
    instance = root / "benefits"
    fields = registration(services.load("benefits"), server.url, instance)
    empty_tables(fed.broker)  # the session's database: earlier modules may have left clients
    with fed.broker.app_context():
        clients.register(fields)
    service = create_service(
        {
            "SERVICE": "benefits",
            "BROKER_URL": fed.broker_url,
            "BASE_URL": server.url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": BENEFITS_SECRET,
            "TESTING": True,
        }
    )
    server.serve(service)
    fed.servers.append(server)
    conn.send(
        {
            "broker": fed.broker_url,
            "benefits": server.url,
            "reader": bridge_server.url,
            "issuer": issuer_server.url,
            "official": (OFFICIAL_ID, OFFICIAL_PASSWORD),
            "cards": cards,
            "pid": os.getpid(),
        }
    )
    conn.recv()  # block until the parent says stop
    fed.stop()
    conn.send("stopped")


@dataclass
class LiveFederation:
    broker_url: str
    benefits_url: str
    reader_url: str
    issuer_url: str
    official: tuple[str, str]
    cards: list[dict]
    pid: int
    process: multiprocessing.Process
    conn: object

    def stop(self) -> None:
        self.conn.send("stop")
        if self.conn.poll(20):
            self.conn.recv()
        self.process.join(20)
        if self.process.is_alive():
            self.process.kill()  # our own child, by its handle
            self.process.join(5)


def start(database: str, workdir: Path, synthetic: int, card_holders: int) -> LiveFederation:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(
        target=_serve, args=(database, str(workdir), synthetic, card_holders, child), daemon=True
    )
    process.start()
    for _ in range(START_SECONDS * 2):
        if parent.poll(0.5):
            break
        if not process.is_alive():
            raise RuntimeError(f"the live federation exited with {process.exitcode} at start")
    else:
        process.kill()  # our own child, by its handle
        raise RuntimeError(f"the live federation did not start within {START_SECONDS} s")
    info = parent.recv()
    return LiveFederation(
        info["broker"],
        info["benefits"],
        info["reader"],
        info["issuer"],
        tuple(info["official"]),
        info["cards"],
        info["pid"],
        process,
        parent,
    )
