"""Liveness, readiness, and clean answers while the database is away (ARCHITECTURE §6)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from idp import create_app
from idp.extensions import db
from tests.support import settings


def test_healthz_answers_without_asking_the_database(app, browser):
    sent = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: sent.append(args[2])  # noqa: E731 - a one-line event hook
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        response = browser.get("/healthz")
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert sent == []


def test_readyz_reports_the_database_and_every_method(browser):
    response = browser.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "methods": {"dev": "up"}}


@pytest.fixture
def database_gone(tmp_path):
    """A broker whose database cannot be opened at all: the file's folder does not exist."""
    app = create_app(settings.test_config(f"sqlite:///{tmp_path}/no-such-folder/silta.db"))
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_readyz_is_503_while_the_database_is_away(database_gone):
    response = database_gone.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"
    assert response.get_json()["status"] == "unavailable"
    assert database_gone.get("/healthz").status_code == 200  # alive: do not restart it


def test_a_page_needing_the_database_is_a_503_page_with_the_request_id(database_gone):
    response = database_gone.get(
        "/authorize?client_id=tax&response_type=code", headers={"Accept": "text/html"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "temporarily_unavailable" in html
    assert response.headers["X-Request-Id"] in html  # the error id is the request id
    assert "Traceback" not in html and "sqlalchemy" not in html.lower()


def test_a_service_gets_temporarily_unavailable_as_json(database_gone):
    response = database_gone.post(
        "/token",
        data={"grant_type": "authorization_code", "code": "x"},
        auth=("tax", "secret"),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 503
    assert response.get_json()["error"] == "temporarily_unavailable"  # RFC 6749 §4.1.2.1
    assert response.headers["Cache-Control"] == "no-store"


def test_the_language_choice_does_not_ask_the_missing_database(database_gone):
    response = database_gone.get("/interaction/some-uid", headers={"Accept": "text/html"})
    assert response.status_code == 503
    assert '<html lang="en">' in response.get_data(as_text=True)
