"""Fixture chain: database → app → browser → registered service → flow (STYLE rule 12)."""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from idp import clients
from idp import create_app
from idp.extensions import db
from idp.oidc import keys
from idp.ops import database as migrations
from tests.support import pg_database
from tests.support.federation import start as start_federation
from tests.support.flow import Flow
from tests.support.flow import RegisteredClient
from tests.support.receiver import Receiver
from tests.support.settings import database_server
from tests.support.settings import test_config
from tests.support.translations import compile_catalogs

KEPT_TABLES = {"signing_key", "alembic_version"}  # keys are slow to make and never change per test
REDIRECT_URI = "https://tax.example/callback"


@pytest.fixture(scope="session", autouse=True)
def catalogues():
    """Every application's .mo files, compiled where stale: pages are tested in fi and ja too,
    in this process and in the parties the live tests start."""
    compile_catalogs()


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """The run's own database: SQLite in a temporary folder, or a new PostgreSQL database on
    the server SILTA_TEST_DATABASE_URL names, dropped after the run (two runs never share)."""
    server = database_server()
    if server:
        url = pg_database.create_database(server, "silta_test")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db')}/silta-test.db"
    app = create_app(test_config(url))
    with app.app_context():
        migrations.upgrade()  # the suite runs on the migrated schema, not create_all
        keys.ensure_keys()
        db.engine.dispose()
    yield url
    if server:
        pg_database.drop_database(url)


@contextmanager
def broker_client(database: str, **overrides):
    """A test client of a broker built with these settings; its connections closed after."""
    app = create_app(test_config(database, **overrides))
    try:
        yield app.test_client()
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def receiver():
    """A service endpoint (a back-channel logout URI, a request URI) recording what it gets."""
    listening = Receiver()
    yield listening
    listening.close()


class AuditRecorder(logging.Handler):
    """The audit events (``silta.audit`` messages) in the order they were told."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.events: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.events.append(record.getMessage())


@pytest.fixture
def audit():
    logger, recorder = logging.getLogger("silta.audit"), AuditRecorder()
    saved = logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.INFO)
    yield recorder
    logger.removeHandler(recorder)
    logger.setLevel(saved)


@pytest.fixture(scope="module")
def fed(database, tmp_path_factory):
    """A live federation for the module (the broker and the banks, each its own process), on
    emptied tables."""
    federation = start_federation(database, tmp_path_factory.mktemp("federation"))
    empty_tables(federation.broker)
    yield federation
    federation.stop()


@pytest.fixture(scope="session")
def app(database):
    app = create_app(test_config(database))
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before the interpreter does


def empty_tables(app) -> None:
    with app.app_context(), db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                connection.execute(table.delete())


@pytest.fixture
def clean(app):
    empty_tables(app)
    return app


@pytest.fixture
def browser(clean):
    return clean.test_client()


@pytest.fixture
def ctx(clean):
    """An application context for reading and writing the database directly."""
    with clean.app_context():
        yield db.session


def register(app, **settings) -> RegisteredClient:
    data = dict(
        client_id="tax",
        name="Tax Administration",
        purpose="To show your tax record.",
        redirect_uris=[REDIRECT_URI],
        post_logout_redirect_uris=["https://tax.example/logged-out"],
        allowed_scopes=["openid", "profile", "national_id", "age"],
        allowed_claims=[
            "given_name",
            "family_name",
            "name",
            "birthdate",
            "urn:oid:1.2.246.21",
            "age_over_18",
        ],
        national_id_entitled=True,
    )
    data.update(settings)
    with app.app_context():
        client, secret = clients.register(data)
        return RegisteredClient(
            client.client_id,
            secret or data.get("client_secret"),
            client.redirect_uris[0],
            (client.post_logout_redirect_uris or [None])[0],
        )


@pytest.fixture
def rp(clean) -> RegisteredClient:
    return register(clean)


@pytest.fixture
def flow(browser, rp) -> Flow:
    return Flow(browser, rp)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        app.config["ISSUER"] = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_broker(database):
    """The broker on a free loopback port, serving real HTTP from a thread."""
    app = create_app(test_config(database))
    empty_tables(app)
    with LiveServer(app) as live:
        yield live
    with app.app_context():
        db.engine.dispose()
