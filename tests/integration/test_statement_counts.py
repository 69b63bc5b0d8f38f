"""SQL statements per hot-path endpoint, counted, never timed (ARCHITECTURE §6 Performance).

Each bound is the count measured on the hot path as tuned (docs/decisions/0001-hot-path.md), per
database, kept as an upper bound: the hot path may get leaner, never fatter unnoticed. Lower a
bound when the hot path is tuned, so the gain is kept. Counts are taken in the steady state: after
one whole round trip, so the key cache and the remembered consent exist, as they do for a busy node.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from idp.extensions import db
from tests.support.flow import query

# Statements per request, as measured (docs/performance.md), per database dialect. PostgreSQL
# adds the release log's SAVEPOINT and RELEASE SAVEPOINT around its append, at /token and at
# /userinfo (docs/decisions/0001-hot-path.md §4); SQLite needs no savepoint there.
BOUNDS = {
    "sqlite": dict(authorize=4, token=4, userinfo=3, jwks=0, discovery=0),
    "postgresql": dict(authorize=4, token=6, userinfo=5, jwks=0, discovery=0),
}


def bound(app, endpoint: str) -> int:
    """The bound of one endpoint on the database this run uses."""
    with app.app_context():
        return BOUNDS[db.engine.dialect.name][endpoint]


@contextmanager
def statements(app):
    """Collect every SQL statement the app's engine sends while the block runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def warm(flow, browser):
    """A citizen with a session and a remembered consent, after one full round trip."""
    flow.authorize()
    tokens = flow.tokens(flow.sign_in(remember=True))
    assert browser.get("/userinfo", headers=_bearer(tokens["access_token"])).status_code == 200
    browser.get("/jwks.json")
    browser.get("/.well-known/openid-configuration")
    return flow


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _sso_code(flow, app) -> tuple[str, list[str]]:
    with statements(app) as seen:
        response = flow.authorize()
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    callback = query(response)
    assert "code" in callback, callback
    return callback["code"], seen


def test_authorize_with_a_session_and_remembered_consent(warm, app):
    _, seen = _sso_code(warm, app)
    assert 0 < len(seen) <= bound(app, "authorize"), f"{len(seen)} statements:\n" + "\n".join(seen)


def test_token_for_a_code(warm, app):
    code, _ = _sso_code(warm, app)
    with statements(app) as seen:
        response = warm.exchange_code(code)
    assert response.status_code == 200, response.get_json()
    assert 0 < len(seen) <= bound(app, "token"), f"{len(seen)} statements:\n" + "\n".join(seen)


def test_userinfo(warm, app, browser):
    code, _ = _sso_code(warm, app)
    access_token = warm.tokens({"code": code})["access_token"]
    with statements(app) as seen:
        response = browser.get("/userinfo", headers=_bearer(access_token))
    assert response.status_code == 200
    assert 0 < len(seen) <= bound(app, "userinfo"), f"{len(seen)} statements:\n" + "\n".join(seen)


@pytest.mark.parametrize(
    ("path", "endpoint"),
    [("/jwks.json", "jwks"), ("/.well-known/openid-configuration", "discovery")],
)
def test_published_documents(warm, app, browser, path, endpoint):
    with statements(app) as seen:
        assert browser.get(path).status_code == 200
    assert len(seen) <= bound(app, endpoint), f"{len(seen)} statements:\n" + "\n".join(seen)
