"""oidcc-userinfo-post-header: POST /userinfo with the access token in the Authorization header.

OIDC Core §5.3.1: the client may use GET or POST; RFC 6750 §2.1 the header.
"""

from __future__ import annotations

from tests.support.checks import bearer

from .support import validate_id_token


def test_userinfo_by_post_with_the_header_answers_the_same_as_get(flow, browser, rp):
    tokens = flow.code_flow()
    claims = validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce)
    response = browser.post("/userinfo", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.get_json()["sub"] == claims["sub"]
    again = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    assert again.get_json() == response.get_json()
