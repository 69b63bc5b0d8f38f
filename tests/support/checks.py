"""What the negative cases check: rows stored (each read in its own application context), pages.

The ``ctx`` fixture keeps one application context open for the whole test, and Flask's test
client then runs every request inside that same context: ``g`` (where ``sessions.current()``
caches the login session) and the SQLAlchemy session carry over from one request to the next.
Tests that make requests between database checks use these helpers instead, so each request
stays as independent as it is in production.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from idp.extensions import db


def count(app, model, *where) -> int:
    """How many rows of ``model`` match the conditions."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def rows(app, model, *where) -> list:
    """The matching rows, detached, in primary-key order."""
    with app.app_context():
        found = db.session.execute(
            sa.select(model).where(*where).order_by(*model.__table__.primary_key)
        )
        return list(found.scalars())


def update(app, model, *where, **values) -> int:
    """Change matching rows and commit; returns how many changed."""
    with app.app_context():
        changed = db.session.execute(sa.update(model).where(*where).values(**values)).rowcount
        db.session.commit()
        return changed


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


ERROR_ID = re.compile(r'class="error-id">.*?<code>([^<]+)</code>', re.S)


def error_page(response, status: int = 400) -> str:
    """Assert the response is the citizen-facing error page, never a redirect; its error code."""
    assert response.status_code == status, response.status_code
    assert "Location" not in response.headers
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert ERROR_ID.search(html), "error page without an error id"
    code = re.search(r'class="code">.*?<code>([^<]+)</code>', html, re.S)
    assert code, "error page without an error code"
    return code.group(1)
