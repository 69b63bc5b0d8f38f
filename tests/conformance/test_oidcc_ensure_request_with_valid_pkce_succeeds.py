"""oidcc-ensure-request-with-valid-pkce-succeeds: PKCE S256 with the right verifier works.

RFC 7636 §4.3 (S256 challenge), §4.5 (the verifier at /token) and §4.6 (the server checks it);
discovery lists S256 only (RFC 8414 §2).
"""

from __future__ import annotations

from .support import callback
from .support import validate_id_token


def test_valid_s256_pkce_succeeds(flow, browser, rp):
    metadata = browser.get("/.well-known/openid-configuration").get_json()
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    flow.authorize()
    flow.login_and_consent()
    response = flow.exchange_code(callback(flow.last, flow.state)["code"])
    assert response.status_code == 200
    tokens = response.get_json()
    validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce, tokens["access_token"])
