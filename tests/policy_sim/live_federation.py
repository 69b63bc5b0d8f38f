"""The live federation of tests/support/federation.py with the card world and the real Benefits
Office, every party its own process (the launcher's), so that the simulation measures the
parties' CPU apart from its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from pathlib import Path

from card_mock.issuer import create_app as create_issuer
from card_mock.issuer.extensions import db
from card_mock.issuer.identifiers import eid_for
from card_mock.issuer.identifiers import hetu_birthdate
from card_mock.issuer.identifiers import hetu_for
from card_mock.issuer.issuance import issue
from card_mock.issuer.models import Holder
from federation.setup import DESK_OFFICIAL
from tests.card_mock.support import PIN
from tests.card_mock.support import issuer_config
from tests.conftest import empty_tables
from tests.support import federation
from tests.support.federation import Federation


def issue_cards(issuer_folder: Path, issuer_url: str, card_holders: int) -> list[dict]:
    """`card_holders` new holders at the authority, each with an EC card (PIN 1234)."""
    issuer = create_issuer(issuer_config(issuer_folder, ISSUER_URL=issuer_url))
    cards = []
    try:
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
    finally:
        with issuer.app_context():
            db.engine.dispose()
    return cards


@dataclass
class LiveFederation:
    broker_url: str
    benefits_url: str
    reader_url: str
    issuer_url: str
    official: tuple[str, str]
    cards: list[dict]
    pids: dict[str, int]  # every party's process, to measure
    fed: Federation

    def stop(self) -> None:
        self.fed.stop()


def start(database: str, workdir: Path, synthetic: int, card_holders: int) -> LiveFederation:
    fed = federation.start(
        database,
        workdir,
        card=True,
        services=("benefits",),
        before=empty_tables,  # the session's database: earlier modules may have left rows
        CARD_TIMEOUT=5.0,
        DEV_AUTHENTICATOR=False,
    )
    try:
        issuer = fed.running.parties["issuer"]
        cards = issue_cards(Path(issuer.folder), issuer.url, card_holders)
        federation.seed_banks(fed.banks, synthetic)
    except BaseException:
        fed.stop()
        raise
    return LiveFederation(
        fed.broker_url,
        fed.url("benefits"),
        fed.url("reader"),
        issuer.url,
        (DESK_OFFICIAL, fed.secrets["DESK_PASSWORD"]),
        cards,
        fed.running.pids(),
        fed,
    )
