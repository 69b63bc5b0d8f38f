"""Fixture chain for the card world: a fresh issuer instance → app → browser → issued cards.

Every issuer gets its own instance folder with its own CA, register and SoftHSM2 token folder
(a real ``softhsm2.conf`` and ``tokens/``; SoftHSM2 is installed by ``make .venv/.softhsm``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from card_mock.issuer import create_app
from card_mock.issuer.config import DEBIAN_SOFTHSM2
from card_mock.issuer.extensions import db
from card_mock.issuer.issuance import issue

from .support import AINO
from .support import PIN
from .support import issuer_config


@pytest.fixture(scope="session", autouse=True)
def softhsm_installed() -> None:
    assert Path(DEBIAN_SOFTHSM2).exists(), "SoftHSM2 is missing: run `make .venv/.softhsm`."


@pytest.fixture
def make_issuer(tmp_path):
    """Build an issuer app on its own instance folder (or a given one, to 'restart' it)."""
    apps = []

    def make(instance: Path | None = None, **overrides):
        app = create_app(issuer_config(instance or tmp_path / "issuer", **overrides))
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def issuer_app(make_issuer):
    return make_issuer()


@pytest.fixture
def browser(issuer_app):
    return issuer_app.test_client()


@pytest.fixture
def parts(issuer_app):
    """The issuance parts of the app: CA, URLs, token folder, admin key."""
    return issuer_app.extensions["card.issuer"]


@pytest.fixture
def issue_card(issuer_app, parts):
    """Issue a card (EC by default) to a demo holder; returns the register's card row."""

    def make(holder=AINO, algorithm: str = "EC-P256"):
        with issuer_app.app_context():
            card = issue(parts, holder.eid, PIN, algorithm)
            db.session.expunge(card)
            return card

    return make


@pytest.fixture
def ctx(issuer_app):
    with issuer_app.app_context():
        yield db.session
