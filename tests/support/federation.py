"""A live federation on loopback: the broker and three mock banks, each its own process.

The parties are brought up by the federation's launcher (federation/launcher.py) on free ports,
through their own commands, as `silta demo` brings them up: the broker with `silta run` on the
test run's database, the banks with `silta-bank run --demo`; with ``card=True`` also the card
authority and the citizen's reader bridge. The test keeps its own broker app on the same
database for what it reads and registers there. A scripted citizen (citizen.py) then walks
the real pages with a plain HTTP session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from werkzeug.serving import make_server

from federation import launcher
from federation.layout import Layout
from federation.plan import Selection
from federation.setup import clean_env
from federation.setup import command
from idp import create_app as create_broker
from idp.extensions import db as broker_db
from tests.support.settings import test_config

BANKS = ("aurora", "kide", "revontuli")
# What the tests ask of a live broker beyond test_config: banks that answer within 2 s, a health
# watch that notices a bank going down or coming back within a second, registrations read anew
# on every request (a test registers its client while the broker runs).
LIVE_BROKER = {"UPSTREAM_TIMEOUT": 2, "UPSTREAM_HEALTH_INTERVAL": 0.3, "CLIENT_RELOAD_SECONDS": 0}
LIVE_BANK = {"SLOW_SECONDS": 3.0}  # the `slow` scenario outlasts the broker's timeout


class Server:
    """A werkzeug server bound now and given its app later (a test's own app, in process)."""

    def __init__(self):
        self.server = make_server("127.0.0.1", 0, lambda env, start: [], threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def serve(self, app) -> None:
        self.server.app = app
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)


def environment(prefix: str, settings: Mapping[str, Any]) -> dict[str, str]:
    """Settings as an operator writes them into a party's environment."""

    def text(value: Any) -> str:
        return ("1" if value else "0") if isinstance(value, bool) else str(value)

    return {f"{prefix}{name}": text(value) for name, value in settings.items()}


@dataclass
class Federation:
    broker: object  # the test's own broker app on the live broker's database
    broker_url: str
    bank_urls: dict[str, str]
    running: launcher.Federation | None = None
    apps: list[object] = field(default_factory=list)  # own apps to close with the federation

    @property
    def banks(self) -> dict[str, str]:
        """Each bank's instance folder, by bank id."""
        if self.running is None:
            return {}
        return {b: self.running.parties[b].folder for b in self.bank_urls}

    def url(self, party: str) -> str:
        return self.running.url(party)

    @property
    def secrets(self) -> dict[str, str]:
        """The card authority's demo secrets (with ``card=True``)."""
        return self.running.plan.secrets

    def log(self, party: str) -> Path:
        """A party's log file (its standard output and error)."""
        return self.running.supervisor.log_path(party)

    def set_scenario(self, bank_id: str, scenario: str = "") -> None:
        response = requests.post(
            self.bank_urls[bank_id] + "/demo/scenario", data={"scenario": scenario}, timeout=5
        )
        assert response.status_code == 200, response.text

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
        for app in [self.broker, *self.apps]:
            with app.app_context():
                broker_db.engine.dispose()


def start(
    database: str,
    workdir: Path,
    card: bool = False,
    bank_settings: Mapping[str, Any] | None = None,
    issuer_settings: Mapping[str, Any] | None = None,
    reader_settings: Mapping[str, Any] | None = None,
    layout: Layout | None = None,
    services: tuple[str, ...] = (),
    before: Callable[[Flask], None] | None = None,
    **broker_settings: Any,
) -> Federation:
    """The broker and the banks (with ``card`` the card world, with ``services`` those demo
    services), every one answering; ``before`` gets the test's own broker app before they start."""
    layout = layout or Layout.on_free_ports(workdir)
    broker = create_broker(test_config(database, ISSUER=layout.broker_url))
    if before is not None:
        before(broker)
    settings = {**LIVE_BROKER, **broker_settings}
    broker_env = environment("SILTA_", test_config(database, **settings))
    selection = Selection(
        banks=BANKS,
        issuer=card,
        reader=card,
        services=services,
        broker=("run",),
        demo=False,
        env={
            "broker": broker_env,
            "bank": environment("BANK_", {**LIVE_BANK, **(bank_settings or {})}),
            "issuer": environment("CARD_", issuer_settings or {}),
            "reader": environment("READER_", reader_settings or {}),
        },
    )
    try:
        running = launcher.launch(layout, selection)
    except BaseException:
        with broker.app_context():
            broker_db.engine.dispose()
        raise
    return Federation(broker, layout.broker_url, {b: running.url(b) for b in BANKS}, running)


def seed_banks(banks: Mapping[str, str], synthetic: int) -> None:
    """`silta-bank seed --count N` at every bank (id → instance folder), side by side."""

    def seed(bank_id: str) -> str:
        env = {**clean_env(), "BANK_INSTANCE_PATH": banks[bank_id]}
        return command(["silta-bank", "seed", "--bank", bank_id, "--count", str(synthetic)], env)

    with ThreadPoolExecutor(max_workers=len(banks)) as pool:
        list(pool.map(seed, banks))
