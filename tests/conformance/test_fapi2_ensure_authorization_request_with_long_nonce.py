"""fapi2-security-profile-final-ensure-authorization-request-with-long-nonce.

A 384-character nonce: the server either returns it unchanged in the ID token, or refuses it
cleanly with `invalid_request` (at /par, or at the redirect URI); it MUST NOT truncate or
corrupt it, and never fails with a server error.
"""

from __future__ import annotations

import secrets

from tests.support.flow import query

from .support import validate_id_token


def test_384_character_nonce_is_kept_or_refused_cleanly(fapi, browser):
    nonce = secrets.token_hex(192)
    pushed = fapi.push(nonce=nonce)
    if pushed.status_code == 400:
        assert pushed.get_json()["error"] == "invalid_request"
        return
    assert pushed.status_code == 201
    fapi.open(pushed.get_json()["request_uri"])
    fapi.login()
    response = fapi.resume()
    if response.headers.get("Location", "").endswith("/consent"):
        fapi.consent()
        response = fapi.resume()
    assert response.status_code == 302, response.status_code
    answer = query(response)
    if "error" in answer:
        assert answer["error"] == "invalid_request"
        return
    tokens = fapi.redeem(answer["code"]).get_json()
    assert (
        validate_id_token(browser, tokens["id_token"], fapi.rp.client_id, nonce)["nonce"] == nonce
    )
