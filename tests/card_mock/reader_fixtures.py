"""Fixtures of the reader bridge's tests, imported by each ``test_reader_*.py`` module.

They extend the card world's chain (conftest.py): issuer → its token folder → a bridge on that
folder → a browser on the bridge; a live issuer serves the reset-code check over real HTTP.
"""

from __future__ import annotations

import pytest

from card_mock.issuer import cards
from card_mock.issuer import reset_codes
from card_mock.reader import create_app

from .reader_support import live_server
from .reader_support import reader_config
from .support import OFFICIAL_ID

__all__ = ["bridge", "card", "client", "desk_code", "live_issuer", "make_bridge"]


@pytest.fixture
def make_bridge(tmp_path, parts):
    """Build a bridge on the issuer's cards (or start it again on the same instance)."""

    def make(instance=None, **overrides):
        config = reader_config(instance or tmp_path / "reader", parts.tokens.folder, **overrides)
        return create_app(config)

    return make


@pytest.fixture
def bridge(make_bridge):
    return make_bridge()


@pytest.fixture
def client(bridge):
    return bridge.test_client()


@pytest.fixture
def card(issue_card):
    """An EC card of the first demo holder, issued by the real issuer on a SoftHSM2 token."""
    return issue_card()


@pytest.fixture
def live_issuer(issuer_app):
    """The issuer app itself, served over HTTP on a thread: the bridge calls its real API."""
    with live_server(issuer_app) as url:
        yield url


@pytest.fixture
def desk_code(issuer_app):
    """Authorise a PIN reset as the desk does; returns the one-time code."""

    def authorise(serial: str) -> str:
        with issuer_app.app_context():
            return reset_codes.authorise(cards.load_card(serial), OFFICIAL_ID, hours=24)

    return authorise
