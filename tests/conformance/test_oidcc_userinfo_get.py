"""oidcc-userinfo-get: GET /userinfo with the access token in the Authorization header.

OIDC Core §5.3.1 (GET, RFC 6750 §2.1 header), §5.3.2 (a JSON object with `sub`, the same `sub`
as the ID token), and only the claims the citizen released.
"""

from __future__ import annotations

from tests.support.checks import bearer

from .support import validate_id_token


def test_userinfo_by_get_answers_json_with_the_id_tokens_sub(flow, browser, rp):
    tokens = flow.code_flow()
    claims = validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce)
    response = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    info = response.get_json()
    assert info["sub"] == claims["sub"]
    assert info == {k: claims[k] for k in info}  # the same released values as the ID token
    assert set(info) == {"sub", "given_name", "family_name", "name", "birthdate"}
