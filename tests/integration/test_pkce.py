"""PKCE with S256 is required of every client (RFC 7636, RFC 9700 §2.1.1 and §4.8).

A failed verifier check is ``invalid_grant`` (RFC 7636 §4.6) and leaves the code unused: the
check runs in ``validate_token_request``, before ``authenticate_user`` marks the code used, so a
stranger who guesses at a stolen code neither burns it nor trips the reuse alarm that would
revoke the rightful client's tokens (RFC 6749 §4.1.2). Neither RFC asks for the code to be
invalidated on a failed check.
"""

from __future__ import annotations

import base64
import hashlib

import pytest

from idp.storage.models import AuthorizationCode
from idp.storage.models import Interaction
from idp.storage.models import Token
from tests.support import pkce
from tests.support.checks import count
from tests.support.checks import rows
from tests.support.flow import query

ISSUER = "http://127.0.0.1:8400"


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "params",
    [
        dict(code_challenge=None, code_challenge_method=None),
        dict(code_challenge=None),
        dict(code_challenge_method="plain"),
        dict(code_challenge_method=None),
        dict(code_challenge_method="s256"),
        dict(code_challenge_method="S512"),
        dict(code_challenge="too-short"),
        dict(code_challenge="!" * 43),
    ],
    ids=[
        "no-pkce",
        "missing-challenge",
        "plain",
        "missing-method",
        "lowercase-method",
        "unknown-method",
        "short-challenge",
        "bad-characters",
    ],
)
def test_authorization_request_without_s256_challenge_is_invalid_request(flow, app, params):
    response = flow.authorize(**params)
    assert response.status_code == 302
    answer = query(response)
    assert answer["error"] == "invalid_request"
    assert answer["state"] == flow.state
    assert answer["iss"] == ISSUER
    assert count(app, Interaction) == 0
    assert count(app, AuthorizationCode) == 0


def test_code_is_bound_to_the_s256_challenge(flow, app):
    flow.authorize()
    flow.login_and_consent()
    stored = rows(app, AuthorizationCode)[0]
    assert stored.code_challenge == s256(flow.verifier)
    assert stored.code_challenge_method == "S256"


def test_wrong_verifier_is_invalid_grant_and_issues_nothing(flow, app):
    flow.authorize()
    code = flow.login_and_consent()["code"]
    other, _ = pkce.new_pair()
    response = flow.exchange_code(code, verifier=other)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 0


def test_wrong_verifier_does_not_use_up_the_code(flow, app):
    flow.authorize()
    code = flow.login_and_consent()["code"]
    other, _ = pkce.new_pair()
    flow.exchange_code(code, verifier=other)
    assert rows(app, AuthorizationCode)[0].used_at is None
    response = flow.exchange_code(code)  # the rightful client, with the right verifier
    assert response.status_code == 200
    assert count(app, Token, Token.revoked_at.is_(None)) == 1


def test_challenge_itself_as_verifier_is_invalid_grant(flow, app):
    # A downgrade to "plain": the challenge sent back as the verifier (RFC 9700 §4.8).
    flow.authorize()
    code = flow.login_and_consent()["code"]
    response = flow.exchange_code(code, verifier=s256(flow.verifier))
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 0


@pytest.mark.parametrize(
    ("verifier", "error"),
    [
        (None, "invalid_grant"),  # every code has a challenge: no proof, no grant
        ("", "invalid_grant"),
        ("short", "invalid_request"),  # RFC 7636 §4.1: 43 to 128 unreserved characters
        ("!" * 43, "invalid_request"),
        ("a" * 129, "invalid_request"),
    ],
    ids=["missing", "empty", "too-short", "bad-characters", "too-long"],
)
def test_missing_or_malformed_verifier_is_refused(flow, app, verifier, error):
    flow.authorize()
    code = flow.login_and_consent()["code"]
    response = flow.exchange_code(code, code_verifier=verifier)
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert count(app, Token) == 0
    assert rows(app, AuthorizationCode)[0].used_at is None
