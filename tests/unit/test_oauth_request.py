"""Authlib's request object as the broker builds it (idp/oidc/server.py: SiltaRequest)."""

from __future__ import annotations

import pytest
from authlib.integrations.flask_oauth2.requests import FlaskOAuth2Request
from authlib.oauth2.rfc6749 import InsecureTransportError
from flask import request

from idp.oidc.server import SiltaRequest


@pytest.fixture
def token_request(app):
    with app.test_request_context(
        "/token?x=1",
        method="POST",
        base_url="https://idp.example",
        data={"grant_type": "authorization_code", "code": "c"},
        headers={"Authorization": "Basic dGF4OnNlY3JldA=="},
    ):
        yield request


def test_it_carries_every_field_authlibs_own_request_has(token_request):
    ours, authlibs = SiltaRequest(token_request), FlaskOAuth2Request(token_request)

    # Built without Authlib's __init__ (pinned version): no field may be missing or extra.
    assert set(vars(ours)) == set(vars(authlibs))
    assert ours.method == "POST"
    assert ours.headers["Authorization"] == authlibs.headers["Authorization"]
    assert ours.payload.grant_type == "authorization_code"
    assert ours.payload.data["code"] == "c"
    assert ours.form["code"] == "c" and ours.args["x"] == "1"
    assert ours.client is None and ours.user is None and ours.authorization_code is None


def test_plain_http_is_refused_except_on_loopback(app):
    with (
        app.test_request_context("/token", method="POST", base_url="http://idp.example"),
        pytest.raises(InsecureTransportError),
    ):
        SiltaRequest(request)
    with app.test_request_context("/token", method="POST", base_url="http://127.0.0.1:8400"):
        assert SiltaRequest(request).uri == "http://127.0.0.1:8400/"
