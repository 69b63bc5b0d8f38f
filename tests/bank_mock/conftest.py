"""Fixture chain for the mock bank: broker keys → seeded database → bank app → browser → flow."""

from __future__ import annotations

import shutil

import pytest

from bank_mock import create_app
from bank_mock.extensions import db
from bank_mock.seed import seed

from .support import ISSUER
from .support import BankFlow
from .support import BrokerKeys


@pytest.fixture(scope="session")
def broker_keys() -> BrokerKeys:
    return BrokerKeys.generate()


@pytest.fixture(scope="session")
def bank_instances(tmp_path_factory):
    """Per bank: an instance folder (its signing key made once) and a seeded database file."""
    made = {}

    def instance(bank_id: str):
        if bank_id not in made:
            folder = tmp_path_factory.mktemp(f"bank-{bank_id}")
            app = create_app({"BANK_ID": bank_id, "TESTING": True, "INSTANCE_PATH": str(folder)})
            with app.app_context():
                seed(bank_id)
                db.engine.dispose()
            made[bank_id] = folder
        return made[bank_id]

    return instance


def bank_config(folder, tmp_path, bank_id: str, broker_keys: BrokerKeys, **overrides) -> dict:
    database = tmp_path / f"{bank_id}.db"
    if "DATABASE_URL" not in overrides:  # a "restarted" bank keeps the database it is given
        shutil.copy(folder / "bank.db", database)
    return {
        "BANK_ID": bank_id,
        "TESTING": True,
        "SECRET_KEY": "test-secret-" + "s" * 32,
        "INSTANCE_PATH": str(folder),
        "DATABASE_URL": f"sqlite:///{database}",
        "ISSUER": ISSUER,
        "CLIENTS": [broker_keys.client_entry()],
        "SLOW_SECONDS": 0.0,
        **overrides,
    }


@pytest.fixture
def make_bank(bank_instances, broker_keys, tmp_path):
    """Build a bank app on a fresh copy of its seeded database."""
    apps = []

    def make(bank_id: str = "aurora", **overrides):
        folder = bank_instances(bank_id)
        app = create_app(bank_config(folder, tmp_path, bank_id, broker_keys, **overrides))
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def bank(make_bank):
    return make_bank()


@pytest.fixture
def browser(bank):
    return bank.test_client()


@pytest.fixture
def flow(bank, browser, broker_keys) -> BankFlow:
    return BankFlow(bank, browser, broker_keys)


@pytest.fixture
def ctx(bank):
    """An application context for reading the bank's database directly."""
    with bank.app_context():
        yield db.session
