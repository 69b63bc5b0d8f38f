"""Fixture chain for the witness: a fake log (served over HTTP) → a witness app → its client.

Each witness has its own instance folder (key and SQLite store), so a test can restart it by
building a second app on the same folder. In the PostgreSQL run (SILTA_TEST_DATABASE_URL) each
test's witness keeps its store in a new database of its own on that server instead.
"""

from __future__ import annotations

import pytest

from tests.support import pg_database
from tests.support.settings import database_server
from tests.unit.tlog.fake_log import FakeLog
from witness import create_app
from witness.extensions import db

from .log_server import LogServer

TOKEN = "operator-token-for-the-witness-tests-0123456789"


@pytest.fixture
def fake_log():
    log = FakeLog()
    log.append(*(f'{{"entry": {i}}}' for i in range(5)))
    return log


@pytest.fixture
def log_server(fake_log):
    server = LogServer(fake_log)
    yield server
    server.close()


@pytest.fixture
def witness_database():
    """The store's URL: empty (SQLite in the instance folder), or a new PostgreSQL database."""
    server = database_server()
    if not server:
        yield ""
        return
    url = pg_database.create_database(server, "silta_witness")
    yield url
    pg_database.drop_database(url)


@pytest.fixture
def make_witness(tmp_path, log_server, witness_database):
    """Build a witness of the served log on one instance folder (again: a restart)."""
    apps = []

    def make(**overrides):
        config = {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "witness"),
            "DATABASE_URL": witness_database,
            "NAME": "witness.test/w1",
            "OPERATOR_TOKEN": TOKEN,
            "FETCH_TIMEOUT_SECONDS": 2.0,
            "LOGS": [log_server.entry()],
            **overrides,
        }
        app = create_app(config)
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def witness_app(make_witness):
    return make_witness()


@pytest.fixture
def client(witness_app):
    return witness_app.test_client()


def poll(client):
    """The operator's POST /witness/poll; the one log's outcome."""
    response = client.post("/witness/poll", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    [result] = response.get_json()["results"]
    return result


def alarms(client):
    return client.get("/witness/alarms").get_json()["alarms"]
