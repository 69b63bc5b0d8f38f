"""The token endpoint's code rules: single use, 60 seconds, PKCE S256, exact redirect URI."""

from __future__ import annotations

import time

import pytest

from bank_mock import grants
from bank_mock.extensions import db
from bank_mock.models import AuthorizationCode

from .support import account


@pytest.fixture
def code(flow) -> str:
    return flow.authorization_code(account("aurora"))


def error_of(response) -> str:
    assert response.status_code == 400, response.get_data(as_text=True)
    return response.get_json()["error"]


def test_a_code_is_redeemed_once(flow, code):
    assert flow.exchange(code).status_code == 200
    assert error_of(flow.exchange(code)) == "invalid_grant"


def test_a_code_lives_sixty_seconds(flow, code, monkeypatch):
    later = int(time.time()) + 61
    monkeypatch.setattr(grants, "now", lambda: later)
    assert error_of(flow.exchange(code)) == "invalid_grant"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"code_verifier": "w" * 43}, "invalid_grant"),
        ({"code_verifier": None}, "invalid_request"),
        ({"code_verifier": "short"}, "invalid_request"),
        ({"redirect_uri": "http://127.0.0.1:8400/other"}, "invalid_grant"),
        ({"redirect_uri": None}, "invalid_grant"),
        ({"code": "not-a-code"}, "invalid_grant"),
        ({"grant_type": "refresh_token"}, "unsupported_grant_type"),
    ],
)
def test_the_exchange_must_match_the_request(flow, code, form, error):
    assert error_of(flow.exchange(code, **form)) == error


def test_codes_are_stored_hashed(flow, code):
    with flow.app.app_context():
        stored = db.session.scalars(db.select(AuthorizationCode.code_hash)).all()
    assert stored == [grants.digest(code)]
    assert code not in stored


def test_no_refresh_token_and_no_scope_in_the_response(flow, code):
    body = flow.exchange(code).get_json()
    assert "refresh_token" not in body
    assert "scope" not in body
    assert body["expires_in"] > 0


def test_the_code_carries_at_least_128_bits(code):
    assert len(code) >= 22
