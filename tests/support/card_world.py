"""The ID-card world on loopback, for tests that break one part of it while citizens log in.

The live federation (federation.py: the broker and three mock banks) with the card world, all
brought up by the federation's launcher, each party its own process: the card authority
(`silta-card issuer run`), the same authority's OCSP responder on a port of its own (a second
process on the authority's instance, for a broker that sets SILTA_CARD_OCSP_URL), and the real
reader bridge (`silta-card reader run`) on the authority's SoftHSM2 tokens. Each can be stopped,
killed and started again on its port. Cards are issued by the test's own authority app on the
authority's instance folder, as the test's own broker app reads the broker's database.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path

from flask import Flask

from card_mock.issuer import create_app as create_issuer
from card_mock.issuer.extensions import db as issuer_db
from card_mock.issuer.issuance import issue
from card_mock.reader.states import CardState
from card_mock.reader.states import CardStates
from card_mock.reader.states import JournalEntry
from federation.launcher import Federation as Running
from federation.layout import Layout
from federation.plan import BROKER_HEALTH
from federation.setup import Party
from idp import create_app as create_broker
from tests.card_mock.support import PIN
from tests.card_mock.support import issuer_config
from tests.support.federation import Federation
from tests.support.federation import environment
from tests.support.federation import start as start_federation
from tests.support.settings import test_config

__all__ = ["PIN", "Bridge", "CardWorld", "Restartable", "start"]
ROOT = Path(__file__).resolve().parents[2]
CARD_SETTINGS = dict(CARD_TIMEOUT=2.0, CARD_HEALTH_INTERVAL=1.0)
# Every login here comes from 127.0.0.1: the banks' per-address limit on login posts (30 a
# minute) and the authority's on API calls (120) guard against guessing, not what is measured.
UNLIMITED = 100_000


class Restartable:
    """A party of the running federation that a test stops and starts again on its port."""

    def __init__(self, running: Running, party: Party) -> None:
        self.federation, self.party = running, party
        self.url = party.url

    @property
    def running(self) -> bool:
        return self.party.name in self.federation.supervisor.running

    def start(self) -> None:
        """Start it as planned; return once it answers."""
        self.federation.add(self.party)

    def stop(self) -> None:
        """Stop it: new connections are refused at once, as when the host is down."""
        self.federation.stop_party(self.party.name)


class Bridge(Restartable):
    """The reader bridge: stopped, killed, or started with another command on its instance."""

    def __init__(self, running: Running, party: Party) -> None:
        super().__init__(running, party)
        self.instance = Path(party.folder)

    @property
    def process(self):
        return self.federation.supervisor.running.get(self.party.name)

    def start(self, command: list[str] | None = None) -> None:
        """Start it (by default as operators do: `silta-card reader run`); wait for an answer."""
        self.federation.add(replace(self.party, command=command or self.party.command))

    def kill(self) -> None:
        """kill -9: no clean-up of any kind in the bridge."""
        self.federation.stop_party(self.party.name, signal.SIGKILL)

    def _states(self) -> CardStates:
        return CardStates(self.instance / "card-state.db", reset_tries=5)

    def card_state(self, serial: str) -> CardState:
        """The card's durable state (PIN tries left, locked) as the bridge keeps it."""
        return self._states().load(serial)

    def unfinished(self) -> list[JournalEntry]:
        """Card operations the bridge's journal still has open."""
        return self._states().unfinished()


@dataclass
class CardWorld:
    fed: Federation
    issuer: Flask  # the test's own app on the card authority's instance
    authority: Restartable  # the whole authority: look-up, /healthz, and OCSP (the AIA names it)
    responder: Restartable  # the same authority's OCSP on a port of its own
    alternate_url: str  # a second broker origin the bridge serves, for other settings
    bridge: Bridge
    card_settings: dict
    database: str

    @property
    def broker(self) -> Flask:
        return self.fed.broker

    def issue_card(self, holder, algorithm: str = "EC-P256") -> str:
        """A new card for the holder on a SoftHSM2 token; its serial."""
        with self.issuer.app_context():
            return issue(self.issuer.extensions["card.issuer"], holder.eid, PIN, algorithm).serial

    @contextmanager
    def broker_with(self, **settings) -> Iterator[Federation]:
        """A second broker on the same database with other settings, served at `alternate`.

        It offers the card only (no banks); citizens walk it as they walk the first one.
        """
        running = self.fed.running
        planned = running.parties["broker"]
        env = {k: v for k, v in planned.env.items() if k != "SILTA_BANKS_FILE"}
        port = self.alternate_url.rsplit(":", 1)[1]
        env |= environment("SILTA_", {"DEV_AUTHENTICATOR": False, **settings})
        env |= {"SILTA_ISSUER": self.alternate_url, "SILTA_PORT": port}
        health = self.alternate_url + BROKER_HEALTH
        alternate = Party(
            "alternate", "second broker", planned.command, env, health, self.alternate_url
        )
        running.add(alternate)
        app = create_broker(test_config(self.database, ISSUER=self.alternate_url))
        try:
            yield Federation(app, self.alternate_url, {}, running)
        finally:
            running.stop_party("alternate")
            with app.app_context():
                from idp.extensions import db

                db.engine.dispose()

    def audit_events(self, party: str, event: str) -> list[dict]:
        """A broker's audit events of one kind, in order, from the JSON lines of its log."""
        lines = self.fed.log(party).read_text(errors="replace").splitlines()
        records = [json.loads(line) for line in lines if line.startswith("{")]
        return [r for r in records if r.get("event") == event]

    def stop(self) -> None:
        self.fed.stop()
        with self.issuer.app_context():
            issuer_db.engine.dispose()


def start(database: str, folder: Path, **broker_settings) -> CardWorld:
    """Authority, responder, federation (with card login) and bridge, every part answering."""
    layout = Layout.on_free_ports(folder, extra=("ocsp", "alternate"))
    alternate_url = f"http://{layout.host}:{layout.port_of('alternate')}"
    card_settings = {**CARD_SETTINGS}
    fed = start_federation(
        database,
        folder,
        card=True,
        layout=layout,
        bank_settings={"RATE_LIMIT_PER_MINUTE": UNLIMITED},
        issuer_settings={"API_RATE_LIMIT_PER_MINUTE": UNLIMITED},
        reader_settings={"ALLOWED_ORIGINS": f"{layout.broker_url},{alternate_url}"},
        DEV_AUTHENTICATOR=False,
        **card_settings,
        **broker_settings,
    )
    try:
        running = fed.running
        planned = running.parties["issuer"]
        ocsp_port = layout.port_of("ocsp")
        ocsp_url = f"http://{layout.host}:{ocsp_port}"
        responder = Party(
            "ocsp",
            "card authority's OCSP responder",
            planned.command,
            {**planned.env, "CARD_PORT": str(ocsp_port)},
            ocsp_url + "/healthz",
            ocsp_url,
            planned.folder,
        )
        running.add(responder)
        issuer = create_issuer(issuer_config(Path(planned.folder), ISSUER_URL=planned.url))
    except BaseException:
        fed.stop()
        raise
    return CardWorld(
        fed,
        issuer,
        Restartable(running, planned),
        Restartable(running, responder),
        alternate_url,
        Bridge(running, running.parties["reader"]),
        card_settings,
        database,
    )
