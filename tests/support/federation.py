"""A live federation on loopback: the broker and three mock banks, each its own process.

The parties are brought up by the federation's launcher (federation/launcher.py) on free ports,
through their own commands, as `silta demo` brings them up: the broker with `silta run` on the
test run's database, the banks with `silta-bank run --demo`; with ``card=True`` also the card
authority and the citizen's reader bridge. The test keeps its own broker app on the same
database for what it reads and registers there. A scripted citizen then walks the real pages
with a plain HTTP session.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import jwt
import requests
from flask import Flask
from werkzeug.serving import make_server

from bank_mock import customers
from bank_mock import totp
from federation import launcher
from federation.layout import Layout
from federation.plan import Selection
from federation.setup import clean_env
from federation.setup import command
from idp import create_app as create_broker
from idp.extensions import db as broker_db
from tests.support.flow import csrf_token
from tests.support.pkce import new_pair
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


def account(bank_id: str, citizen=None, scenario: str | None = None) -> customers.Account:
    """A seeded customer of a bank: by citizen, or the bank's customer for a scenario."""
    for candidate in customers.accounts_for(bank_id):
        if (scenario and candidate.scenario == scenario) or (
            citizen is not None and candidate.citizen == citizen and not scenario
        ):
            return candidate
    raise LookupError(f"no such customer at {bank_id}")


def key_code(acct: customers.Account) -> str:
    return totp.code_at(customers.totp_secret(acct.bank_id, acct.customer_number))


@dataclass
class Citizen:
    """A browser: walks the broker's and the bank's real pages, as a person would."""

    fed: Federation
    rp: object
    session: requests.Session = field(default_factory=requests.Session)
    last: requests.Response | None = None

    def get(self, url: str) -> requests.Response:
        self.last = self.session.get(self._abs(url), allow_redirects=False, timeout=15)
        return self.last

    def post(self, url: str, data: dict) -> requests.Response:
        self.last = self.session.post(self._abs(url), data=data, allow_redirects=False, timeout=15)
        return self.last

    def _abs(self, url: str) -> str:
        return url if url.startswith("http") else self.fed.broker_url + url

    def follow(self, response: requests.Response) -> requests.Response:
        """Follow redirects until a page, or until the service's redirect URI."""
        base = response.url
        while response.status_code in (302, 303) and not self.at_service(response):
            location = response.headers["Location"]
            if not location.startswith("http"):
                parts = urlsplit(base)
                location = f"{parts.scheme}://{parts.netloc}{location}"
            response = self.get(location)
            base = response.url
        return response

    def at_service(self, response) -> bool:
        return response.headers.get("Location", "").startswith(self.rp.redirect_uri)

    def authorize(self, **params) -> requests.Response:
        self.verifier, challenge = new_pair()
        query = dict(
            response_type="code",
            client_id=self.rp.client_id,
            redirect_uri=self.rp.redirect_uri,
            scope="openid profile national_id",
            state="st-" + challenge[:8],
            nonce="n-" + challenge[8:40],
            code_challenge=challenge,
            code_challenge_method="S256",
            **params,
        )
        self.state, self.nonce = query["state"], query["nonce"]
        self.interaction = None
        response = self.follow(
            self.session.get(
                self.fed.broker_url + "/authorize", params=query, allow_redirects=False, timeout=15
            )
        )
        self.interaction = urlsplit(response.url).path
        return response

    def choose_bank(self, bank_id: str) -> requests.Response:
        return self.follow(self.get(f"{self.interaction}/method/bank-{bank_id}/"))

    def bank_login(
        self, acct: customers.Account, password: str | None = None, code: str | None = None
    ) -> requests.Response:
        page = self.last
        login = self.follow(
            self.post(
                form_action(page),
                {
                    "csrf_token": csrf_token(page.text),
                    "customer_number": acct.customer_number,
                    "password": password or acct.password,
                },
            )
        )
        if login.status_code != 200 or 'name="code"' not in login.text:
            return login  # refused before the code: locked, or rate-limited
        return self.follow(
            self.post(
                form_action(login),
                {"csrf_token": csrf_token(login.text), "code": code or key_code(acct)},
            )
        )

    def bank_release(self, decision: str = "continue") -> requests.Response:
        page = self.last
        return self.follow(
            self.post(
                form_action(page), {"csrf_token": csrf_token(page.text), "decision": decision}
            )
        )

    def consent(self) -> requests.Response:
        page = self.last
        claims = re.findall(r'name="claim" value="([^"]+)"', page.text)
        return self.follow(
            self.post(
                page.url,
                {"csrf_token": csrf_token(page.text), "decision": "allow", "claim": claims},
            )
        )

    def log_in_with_bank(self, bank_id: str, acct: customers.Account) -> dict:
        """The whole journey; returns the parameters the service receives."""
        self.authorize()
        self.choose_bank(bank_id)
        self.bank_login(acct)
        response = self.bank_release()
        if "/consent" in response.url:
            response = self.consent()
        assert self.at_service(response), (response.status_code, response.url, response.text[:400])
        return callback_params(response)


def form_action(page) -> str:
    """Where the page's form posts, as an absolute URL on the page's own origin."""
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    parts = urlsplit(page.url)
    return action if action.startswith("http") else f"{parts.scheme}://{parts.netloc}{action}"


def callback_params(response) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def finish(citizen: Citizen, response: requests.Response) -> dict:
    """After the method: consent if asked, then the ID token the service receives."""
    if not citizen.at_service(response) and "/consent" in response.url:
        response = citizen.consent()
    assert citizen.at_service(response), (response.status_code, response.url, response.text[:300])
    return redeem(citizen, callback_params(response)["code"])


def redeem(citizen: Citizen, code: str) -> dict:
    """The service exchanges the code and checks the ID token's signature and audience."""
    answer = requests.post(
        citizen.fed.broker_url + "/token",
        auth=citizen.rp.auth,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": citizen.rp.redirect_uri,
            "code_verifier": citizen.verifier,
        },
        timeout=15,
    )
    assert answer.status_code == 200, answer.text
    token = answer.json()["id_token"]
    key = jwt.PyJWKClient(citizen.fed.broker_url + "/jwks.json").get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256", "ES256"], audience=citizen.rp.client_id)
