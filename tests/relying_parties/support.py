"""Demo services on loopback against the live federation, registered from their own output.

Each service is bound first (so its origin is known), registered at the broker from the TOML
that `silta-rp registration` prints, the way `silta clients import` takes it, then served. A
browser (tests.support.federation.Citizen) walks the service's, broker's and bank's real pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import requests
from click.testing import CliRunner

from idp import clients
from relying_parties import create_app
from relying_parties.cli import main as rp_cli
from relying_parties.extensions import db as rp_db
from tests.support.citizen import Citizen
from tests.support.citizen import account
from tests.support.federation import Federation
from tests.support.federation import Server
from tests.support.flow import csrf_token


@dataclass
class Service:
    """A demo service running on a free port."""

    id: str
    url: str
    app: object
    server: Server

    def stop(self) -> None:
        self.server.stop()
        with self.app.app_context():
            rp_db.engine.dispose()


def start_service(fed: Federation, service_id: str, workdir: Path, **config) -> Service:
    """Bind, register at the broker from `silta-rp registration`, then serve."""
    server = Server()
    instance = workdir / f"rp-{service_id}"
    printed = CliRunner().invoke(
        rp_cli,
        [
            "registration",
            "--service",
            service_id,
            "--base-url",
            server.url,
            "--instance",
            str(instance),
        ],
    )
    assert printed.exit_code == 0, printed.output
    registration = workdir / f"{service_id}.toml"
    registration.write_text(printed.output)
    with fed.broker.app_context():
        clients.import_file(registration)
    app = create_app(
        {
            "SERVICE": service_id,
            "TESTING": True,
            "BROKER_URL": fed.broker_url,
            "BASE_URL": server.url,
            "INSTANCE_PATH": str(instance),
            **config,
        }
    )
    server.serve(app)
    return Service(service_id, server.url, app, server)


class Browser(Citizen):
    """A citizen's browser that starts at a service rather than at the broker."""

    def __init__(self, fed: Federation, session: requests.Session | None = None):
        super().__init__(fed, SimpleNamespace(redirect_uri="", client_id=""))
        if session is not None:
            self.session = session

    def visit(self, service: Service, path: str = "/login") -> requests.Response:
        """GET a service page and follow redirects to the first page (broker pages included)."""
        self.rp = SimpleNamespace(redirect_uri=service.url + "/callback", client_id=service.id)
        response = self.follow(self.get(service.url + path))
        if response.url.startswith(self.fed.broker_url + "/interaction/"):
            self.interaction = urlsplit(response.url).path.rstrip("/")
        return response

    def back_to_service(self, response: requests.Response) -> requests.Response:
        """From the broker's redirect to the callback, to the service's page after it."""
        assert self.at_service(response), (response.status_code, response.url, response.text[:300])
        callback = self.get(response.headers["Location"])
        while callback.status_code in (302, 303) and not callback.headers["Location"].startswith(
            self.fed.broker_url
        ):
            location = callback.headers["Location"]
            base = "/".join(callback.url.split("/")[:3])
            callback = self.get(location if location.startswith("http") else base + location)
        return callback

    def login_with_bank(self, service: Service, bank_id: str = "aurora", citizen=None):
        """The whole journey from the service's /login back to its start page (SSO aware)."""
        from bank_mock import customers

        response = self.visit(service)
        at_method_choice = not self.at_service(response) and "/consent" not in response.url
        if at_method_choice:  # no broker session yet (otherwise single sign-on skips the bank)
            self.choose_bank(bank_id)
            self.bank_login(account(bank_id, citizen or customers.AINO))
            response = self.bank_release()
        if "/consent" in response.url:
            response = self.consent()
        return self.back_to_service(response)

    def post_form(self, page: requests.Response, action: str, **fields) -> requests.Response:
        base = "/".join(page.url.split("/")[:3])
        return self.post(base + action, {"csrf_token": csrf_token(page.text), **fields})


def hidden(page_html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page_html)
    assert match, f"no hidden field {name}"
    return match.group(1)
