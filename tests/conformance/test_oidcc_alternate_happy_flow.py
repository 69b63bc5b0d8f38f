"""oidcc-alternate-happy-flow: scopes reversed and query parameters reordered still succeed.

RFC 6749 §3.3 (scope order does not matter) and §3.1 (the request is a set of parameters).
The module extends oidcc-scope-email; `email` is dropped as in that module.
"""

from __future__ import annotations

from tests.support.pkce import new_pair

from .support import callback
from .support import validate_id_token


def test_reordered_request_completes(flow, browser, rp):
    verifier, challenge = new_pair()
    query = [
        ("code_challenge_method", "S256"),
        ("nonce", "n-alternate-1"),
        ("state", "s-alternate-1"),
        ("scope", "email profile openid"),
        ("code_challenge", challenge),
        ("redirect_uri", rp.redirect_uri),
        ("client_id", rp.client_id),
        ("response_type", "code"),
    ]
    response = browser.get(
        "/authorize?" + "&".join(f"{k}={v.replace(' ', '%20')}" for k, v in query)
    )
    assert response.status_code == 303
    flow.interaction = response.headers["Location"]
    flow.login_and_consent()
    code = callback(flow.last, "s-alternate-1")["code"]
    tokens = flow.exchange_code(code, verifier=verifier).get_json()
    assert set(tokens["scope"].split()) == {"openid", "profile"}
    validate_id_token(
        browser, tokens["id_token"], rp.client_id, "n-alternate-1", tokens["access_token"]
    )
