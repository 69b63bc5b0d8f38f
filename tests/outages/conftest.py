"""The card world for the outage tests: started once for the package, whole before each test.

Bank logins are made by citizens who hold no card, so everything a card holder has at the
broker comes from card logins alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bank_mock import customers
from card_mock.issuer.config import DEBIAN_SOFTHSM2
from tests.card_mock.support import AINO
from tests.card_mock.support import MIKKO
from tests.conftest import empty_tables
from tests.conftest import register
from tests.support import card_world
from tests.support.citizen import account

REDIRECT_URI = "https://tax.example/callback"
BANK_CITIZENS = (("aurora", customers.VENLA), ("kide", customers.ONNI))


@pytest.fixture(scope="package")
def world(database, tmp_path_factory):
    assert Path(DEBIAN_SOFTHSM2).exists(), "SoftHSM2 is missing: run `make .venv/.softhsm`."
    running = card_world.start(database, tmp_path_factory.mktemp("outages"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="package")
def cards(world) -> dict[str, str]:
    """EC cards of two holders, issued by the authority onto SoftHSM2 tokens: name -> serial."""
    return {"aino": world.issue_card(AINO), "mikko": world.issue_card(MIKKO)}


@pytest.fixture
def rp(world, cards):
    """Every part of the world answering, an empty broker, and one registered service."""
    for server in (world.authority, world.responder):
        if not server.running:
            server.start()
    if world.bridge.process is None:
        world.bridge.start()
    empty_tables(world.broker)
    for bank_id in world.fed.banks:
        world.fed.set_scenario(bank_id, "")
    return register(world.broker, redirect_uris=[REDIRECT_URI])


@pytest.fixture
def bank_citizens() -> list[tuple[str, customers.Account]]:
    """Two bank customers, each at their own bank, neither holding a card."""
    return [(bank_id, account(bank_id, citizen)) for bank_id, citizen in BANK_CITIZENS]
