"""Fixtures: the live federation with the four services serving; a fake broker for unit tests."""

from __future__ import annotations

import hashlib
import secrets
import time
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest

from relying_parties import create_app
from relying_parties.extensions import db
from relying_parties.models import BrowserSession
from tests.relying_parties.support import Browser
from tests.relying_parties.support import start_service

SERVICE_IDS = ("tax", "benefits", "municipal", "library")


@pytest.fixture(scope="module")
def services(fed, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("services")
    running = {s: start_service(fed, s, workdir) for s in SERVICE_IDS}
    yield running
    for service in running.values():
        service.stop()


@pytest.fixture
def browser(fed) -> Browser:
    return Browser(fed)


@pytest.fixture(scope="module")
def fake_broker():
    from tests.relying_parties.fake_broker import FakeBroker

    broker = FakeBroker()
    yield broker
    broker.stop()


def make_app(service_id: str, broker_url: str, instance, **config):
    return create_app(
        {
            "SERVICE": service_id,
            "TESTING": True,
            "BROKER_URL": broker_url,
            "BASE_URL": "http://127.0.0.1:5999",
            "INSTANCE_PATH": str(instance),
            **config,
        }
    )


@pytest.fixture
def rp_app(fake_broker, tmp_path):
    """The City Library against the fake broker, with the broker's key published fresh."""
    fake_broker.published[:] = [fake_broker.key]
    app = make_app("library", fake_broker.url, tmp_path / "library")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def service_app(fake_broker, tmp_path, request):
    """A service (library unless parametrized) against the fake broker."""
    service_id = getattr(request, "param", "library")
    fake_broker.published[:] = [fake_broker.key]
    app = make_app(service_id, fake_broker.url, tmp_path / service_id)
    yield app
    with app.app_context():
        db.engine.dispose()


def log_in(
    app,
    browser,
    *,
    sub: str = "sub-1",
    acr: str = "http://ftn.ficora.fi/2017/loa2",
    auth_time: int | None = None,
):
    """Give the browser a session holding a login, as the callback would have stored it."""
    key = secrets.token_urlsafe(32)
    held = {
        "sub": sub,
        "sid": "sid-" + sub,
        "acr": acr,
        "amr": ["pwd"],
        "auth_time": auth_time or int(time.time()),
        "released": {"name": "Aino Virtanen", "age_over_18": True},
        "id_token": "signed.id.token",
        "received_at": int(time.time()),
        "encrypted_id_token": False,
        "request_object": "none",
        "userinfo": False,
    }
    with app.app_context():
        db.session.add(
            BrowserSession(
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                data={"login": held},
                sid=held["sid"],
                sub=sub,
                expires_at=int(time.time()) + 600,
            )
        )
        db.session.commit()
    browser.set_cookie(app.config["SESSION_COOKIE_NAME"], key)
    return held


def cookie_header(app, browser) -> dict:
    name = app.config["SESSION_COOKIE_NAME"]
    return {"Cookie": f"{name}={browser.get_cookie(name).value}"}


def query_of(location: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
