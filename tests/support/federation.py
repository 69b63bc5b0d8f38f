"""A live federation on loopback: the broker and three mock banks, each a real HTTP server.

The servers are bound first (so every origin is known), then given their apps: the broker's
bank list names the banks' ports, and each bank's registration names the broker's callback.
A scripted citizen then walks the real pages with a plain HTTP session.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import jwt
import requests
from werkzeug.serving import make_server

from bank_mock import create_app as create_bank
from bank_mock import customers
from bank_mock import totp
from bank_mock.extensions import db as bank_db
from bank_mock.seed import seed
from idp import create_app as create_broker
from idp.authenticators.bank import keys as federation_keys
from idp.extensions import db as broker_db
from tests.support.flow import csrf_token
from tests.support.pkce import new_pair
from tests.support.settings import test_config

BANKS = ("aurora", "kide", "revontuli")
BROKER_CLIENT_ID = "silta"


class Server:
    """A werkzeug server bound now and given its app later."""

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


@dataclass
class Federation:
    broker: object
    broker_url: str
    banks: dict[str, object]
    bank_urls: dict[str, str]
    servers: list[Server] = field(default_factory=list)

    def set_scenario(self, bank_id: str, scenario: str = "") -> None:
        response = requests.post(
            self.bank_urls[bank_id] + "/demo/scenario", data={"scenario": scenario}, timeout=5
        )
        assert response.status_code == 200, response.text

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        with self.broker.app_context():
            broker_db.engine.dispose()
        for app in self.banks.values():
            with app.app_context():
                bank_db.engine.dispose()


def start(database: str, workdir: Path, **broker_settings) -> Federation:
    broker_server = Server()
    bank_servers = {bank_id: Server() for bank_id in BANKS}
    keys = federation_keys.generate(workdir / "federation-keys.json")
    banks_file = workdir / "banks.toml"
    banks_file.write_text(
        "".join(
            f'[[banks]]\nid = "{bank_id}"\nname = "{bank_id.title()} Bank"\n'
            f'issuer = "{server.url}"\nclient_id = "{BROKER_CLIENT_ID}"\n\n'
            for bank_id, server in bank_servers.items()
        )
    )
    broker = create_broker(
        test_config(
            database,
            ISSUER=broker_server.url,
            BANKS_FILE=str(banks_file),
            FEDERATION_KEYS_FILE=str(workdir / "federation-keys.json"),
            UPSTREAM_TIMEOUT=2,
            UPSTREAM_HEALTH_INTERVAL=0.3,
            **broker_settings,
        )
    )
    banks = {}
    for bank_id, server in bank_servers.items():
        folder = workdir / f"bank-{bank_id}"
        banks[bank_id] = create_bank(
            {
                "BANK_ID": bank_id,
                "TESTING": True,
                "INSTANCE_PATH": str(folder),
                "ISSUER": server.url,
                "SLOW_SECONDS": 3.0,
                "CLIENTS": [
                    {
                        "client_id": BROKER_CLIENT_ID,
                        "jwks": keys.public_jwks(),
                        "redirect_uris": [f"{broker_server.url}/method/bank-{bank_id}/callback"],
                    }
                ],
            }
        )
        with banks[bank_id].app_context():
            seed(bank_id)
    broker_server.serve(broker)
    for bank_id, server in bank_servers.items():
        server.serve(banks[bank_id])
    return Federation(
        broker,
        broker_server.url,
        banks,
        {b: s.url for b, s in bank_servers.items()},
        [broker_server, *bank_servers.values()],
    )


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
