"""The ID-card world on loopback, for tests that break one part of it while citizens log in.

The live federation (federation.py: the broker and three mock banks) plus the real card
authority (card_mock.issuer) on a server that can be stopped and started again on the same port,
the same authority's OCSP responder on a port of its own (for a broker that sets
SILTA_CARD_OCSP_URL), cards issued onto SoftHSM2 tokens, and the real reader bridge
(card_mock.reader) as a child process that can be stopped, killed and started again on its
instance.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from flask import Flask
from werkzeug.serving import make_server

from card_mock.issuer import create_app as create_issuer
from card_mock.issuer.extensions import db as issuer_db
from card_mock.issuer.issuance import issue
from card_mock.reader.states import CardState
from card_mock.reader.states import CardStates
from card_mock.reader.states import JournalEntry
from idp import create_app as create_broker
from idp.extensions import db as broker_db
from tests.card_mock.support import BROKER_KEY
from tests.card_mock.support import PIN
from tests.card_mock.support import READER_ID
from tests.card_mock.support import READER_KEY
from tests.card_mock.support import issuer_config
from tests.support.federation import Federation
from tests.support.federation import start as start_federation
from tests.support.settings import test_config

__all__ = ["PIN", "Bridge", "CardWorld", "Restartable", "start"]
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Restartable:
    """A WSGI app on a fixed loopback port that can be stopped and started again there."""

    def __init__(self, app=None) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, self._dispatch, threaded=True)  # port held
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    def _dispatch(self, environ, start_response):
        return self.app(environ, start_response)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._server is None:
            self._server = make_server("127.0.0.1", self.port, self._dispatch, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening: new connections are refused at once, as when the host is down."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        if self._server is not None:
            self._server.server_close()
            self._server = None


class Bridge:
    """The reader bridge as a child process on a fixed port, on one instance folder."""

    def __init__(self, folder: Path, token_folder: Path, issuer_url: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance = folder / "reader"
        self.log = folder / "reader.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
        self.env.update(
            READER_HOST="127.0.0.1",
            READER_PORT=str(self.port),
            READER_INSTANCE_PATH=str(self.instance),
            READER_TOKEN_FOLDER=str(token_folder),
            READER_ISSUER_URL=issuer_url,
            READER_VERIFIER_ID=READER_ID,
            READER_VERIFIER_KEY=READER_KEY,
            READER_SECRET_KEY="reader-secret-" + "s" * 32,
        )
        self.process: subprocess.Popen | None = None

    def allow(self, *origins: str) -> None:
        """The broker origins it serves (from its next start)."""
        self.env["READER_ALLOWED_ORIGINS"] = ",".join(origins)

    def start(self, command: list[str] | None = None) -> None:
        """Start it (by default as operators do: `silta-card reader run`); wait for an answer."""
        argv = command or [str(Path(sys.executable).with_name("silta-card")), "reader", "run"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the bridge stopped (exit {self.process.returncode})")
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise TimeoutError(f"the bridge did not answer within {START_TIMEOUT} s")

    def stop(self) -> None:
        """End it as an operator would (SIGTERM)."""
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        """kill -9: no clean-up of any kind in the bridge."""
        self._end(signal.SIGKILL)

    def _end(self, how: signal.Signals) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(how)
        if self.process is not None:
            self.process.wait(10)
        self.process = None

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
    issuer: Flask  # the card authority
    authority: Restartable  # the whole authority: look-up, /healthz, and OCSP (the AIA names it)
    responder: Restartable  # the same authority's OCSP on a port of its own
    alternate: Restartable  # a second broker origin the bridge serves, for other settings
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
        app = create_broker(
            test_config(
                self.database,
                ISSUER=self.alternate.url,
                DEV_AUTHENTICATOR=False,
                **{**self.card_settings, **settings},
            )
        )
        self.alternate.app = app
        self.alternate.start()
        try:
            yield Federation(app, self.alternate.url, {}, {})
        finally:
            self.alternate.stop()
            with app.app_context():
                broker_db.engine.dispose()

    def stop(self) -> None:
        self.bridge.stop()
        self.fed.stop()
        for server in (self.authority, self.responder, self.alternate):
            server.stop()
        with self.issuer.app_context():
            issuer_db.engine.dispose()


def start(database: str, folder: Path, **broker_settings) -> CardWorld:
    """Authority, federation (with card login) and bridge, every part answering."""
    authority, responder, alternate = Restartable(), Restartable(), Restartable()
    # The authority limits API calls per client address (120 a minute by default); the broker
    # is one address, and its holder look-ups under load are not what these tests measure.
    issuer = create_issuer(
        issuer_config(
            folder / "issuer", ISSUER_URL=authority.url, API_RATE_LIMIT_PER_MINUTE=100_000
        )
    )
    authority.app = responder.app = issuer
    authority.start()
    responder.start()
    card_settings = dict(
        CARD_ISSUER_URL=authority.url,
        CARD_TRUSTED_CA_FILE=str(folder / "issuer" / "ca" / "issuing-ca.crt.pem"),
        CARD_VERIFIER_SECRET=BROKER_KEY,
        CARD_TIMEOUT=2.0,
        CARD_HEALTH_INTERVAL=1.0,
    )
    bridge = Bridge(folder, issuer.extensions["card.issuer"].tokens.folder, authority.url)
    card_settings["CARD_READER_URL"] = bridge.url
    fed = start_federation(
        database, folder, DEV_AUTHENTICATOR=False, **card_settings, **broker_settings
    )
    for app in fed.banks.values():
        # Every login here comes from 127.0.0.1: the banks' per-address limit on login posts
        # (30 a minute) is a guard against guessing, not what these tests measure.
        app.config["RATE_LIMIT_PER_MINUTE"] = 100_000
    bridge.allow(fed.broker_url, alternate.url)
    bridge.start()
    return CardWorld(fed, issuer, authority, responder, alternate, bridge, card_settings, database)
