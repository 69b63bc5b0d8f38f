"""Live key rotation: no restart, and no failed validation at a client that refreshes its JWKS
on an unknown `kid` (issue: "Done when")."""

from __future__ import annotations

import secrets
import time

import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

from idp import create_app
from idp.extensions import db
from idp.oidc import keys
from idp.storage.models import SigningKey
from tests.conftest import LiveServer
from tests.conftest import empty_tables
from tests.conftest import register
from tests.integration.test_live_client import REDIRECT_URI
from tests.integration.test_live_client import browse_to_callback
from tests.support import settings

pytestmark = pytest.mark.live


@pytest.fixture
def rotating_broker(database):
    app = create_app(settings.test_config(database, KEY_PROMOTION_GRACE=3, KEY_RELOAD_SECONDS=0))
    empty_tables(app)
    with app.app_context():
        before = {row.kid: row.state for row in db.session.execute(db.select(SigningKey)).scalars()}
    with LiveServer(app) as live:
        yield live
    with app.app_context():  # leave the shared key table as the rest of the suite knows it
        for row in db.session.execute(db.select(SigningKey)).scalars().all():
            if row.kid in before:
                row.state, row.retired_at = before[row.kid], None
            else:
                db.session.delete(row)
        db.session.commit()
        db.engine.dispose()


def login(live, rp, metadata) -> str:
    client = OAuth2Session(
        rp.client_id,
        rp.secret,
        scope="openid profile",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
    )
    verifier = secrets.token_urlsafe(48)
    url, state = client.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=secrets.token_urlsafe(16)
    )
    callback = browse_to_callback(requests.Session(), live.url, url)
    return client.fetch_token(
        metadata["token_endpoint"],
        authorization_response=callback,
        code_verifier=verifier,
        state=state,
    )["id_token"]


def test_rotation_under_load_fails_no_validation(rotating_broker):
    live = rotating_broker
    rp = register(live.app, client_id="live-rp", redirect_uris=[REDIRECT_URI])
    metadata = requests.get(live.url + "/.well-known/openid-configuration", timeout=10).json()
    # A client that caches the JWKS for less than the promotion grace and refetches it on an
    # unknown kid, at most once a second (PyJWT's cache and cooldown, scaled to this test).
    verifier = jwt.PyJWKClient(metadata["jwks_uri"], lifespan=1, cooldown_duration=1)
    signed_by = []
    for round_number in range(8):
        if round_number == 3:
            with live.app.app_context():
                new_kids = keys.rotate(("RS256",))
            jwks = requests.get(metadata["jwks_uri"], timeout=10).json()
            assert set(new_kids) <= {k["kid"] for k in jwks["keys"]}  # published before use
        if round_number == 5:
            # Past the grace, counted in whole seconds as the key rows are: every node signs with
            # the next key now.
            time.sleep(4.1)
        token = login(live, rp, metadata)
        print(
            round_number,
            jwt.get_unverified_header(token)["kid"],
            [k["kid"] for k in requests.get(metadata["jwks_uri"], timeout=5).json()["keys"]],
        )
        key = verifier.get_signing_key_from_jwt(token)
        jwt.decode(token, key.key, algorithms=["RS256"], audience=rp.client_id, issuer=live.url)
        signed_by.append(jwt.get_unverified_header(token)["kid"])
    assert len(set(signed_by)) == 2
    assert signed_by[0] == signed_by[4]  # the next key did not sign during its grace
    assert signed_by[-1] in new_kids
    jwks = requests.get(metadata["jwks_uri"], timeout=10).json()
    assert signed_by[0] in {k["kid"] for k in jwks["keys"]}  # retired, still published
