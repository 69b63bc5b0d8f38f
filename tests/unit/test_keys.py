"""Signing keys: encrypted at rest, parsed once, published without private parts."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from idp.extensions import db
from idp.oidc import keys
from idp.storage.models import SigningKey


def test_every_algorithm_has_a_current_key_and_jwks_is_public(ctx):
    published = keys.cache().jwks()["keys"]
    algs = {k["alg"] for k in published}
    assert {"RS256", "ES256"} <= algs
    for key in published:
        assert key["kid"] and key["use"] == "sig"
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_private_parts_are_encrypted_at_rest(ctx):
    for row in ctx.execute(db.select(SigningKey)).scalars():
        assert '"d"' not in row.private_jwk_encrypted
        assert row.public_jwk["kid"] == row.kid


def test_signing_key_round_trips_through_encryption(ctx):
    key = keys.cache().signing_key("ES256")
    assert key.kid in {k["kid"] for k in keys.cache().jwks()["keys"]}
    assert key.is_private


def test_wrong_encryption_key_cannot_read_keys(app, ctx):
    keys.cache().invalidate()
    original = app.config["KEY_ENCRYPTION_KEY"]
    app.config["KEY_ENCRYPTION_KEY"] = "A" * 43
    try:
        with pytest.raises(InvalidTag):
            keys.cache().signing_key("RS256")
    finally:
        app.config["KEY_ENCRYPTION_KEY"] = original
        keys.cache().invalidate()


def test_unknown_algorithm_is_refused(ctx):
    with pytest.raises(ValueError, match="unsupported"):
        keys.create_key("HS256")
