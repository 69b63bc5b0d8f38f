"""oidcc-server-rotate-keys: a rotated signing key is published before it signs.

OIDC Core §10.1.1: the OP publishes the new key in its JWKS; a client that refetches the JWKS on
an unknown `kid` verifies every ID token before, during and after the rotation. The grace
passes by moving the new key's creation time back (KEY_PROMOTION_GRACE).
"""

from __future__ import annotations

import pytest
from joserfc import jws

from idp import create_app
from idp.extensions import db
from idp.oidc import keys
from idp.storage.models import SigningKey
from tests.conftest import empty_tables
from tests.conftest import register
from tests.support import settings
from tests.support.checks import update
from tests.support.flow import Flow

from .support import jwks
from .support import validate_id_token


@pytest.fixture
def rotating(database, app):
    """A broker that re-reads its key table on every request; the table restored after."""
    rotating_app = create_app(settings.test_config(database, KEY_RELOAD_SECONDS=0))
    empty_tables(rotating_app)
    with rotating_app.app_context():
        kept = {r.kid: r.state for r in db.session.execute(db.select(SigningKey)).scalars()}
    yield rotating_app
    with rotating_app.app_context():
        for row in db.session.execute(db.select(SigningKey)).scalars().all():
            if row.kid in kept:
                row.state, row.retired_at = kept[row.kid], None
            else:
                db.session.delete(row)
        db.session.commit()
        db.engine.dispose()
    with app.app_context():
        keys.cache().invalidate()


def signed_kid(flow: Flow) -> str:
    tokens = flow.code_flow()
    claims = validate_id_token(flow.browser, tokens["id_token"], flow.rp.client_id, flow.nonce)
    assert claims
    return jws.extract_compact(tokens["id_token"].encode()).headers()["kid"]


def test_rotation_publishes_first_then_signs(rotating):
    browser = rotating.test_client()
    flow = Flow(browser, register(rotating))
    old = signed_kid(flow)
    with rotating.app_context():
        (new,) = keys.rotate(("RS256",))
    assert {old, new} <= {k.kid for k in jwks(browser).keys}  # published before use
    assert signed_kid(flow) == old  # still within the promotion grace
    grace = rotating.config["KEY_PROMOTION_GRACE"]
    update(
        rotating, SigningKey, SigningKey.kid == new, created_at=SigningKey.created_at - grace - 1
    )
    assert signed_kid(flow) == new
    assert old in {k.kid for k in jwks(browser).keys}  # the old key stays for its tokens
