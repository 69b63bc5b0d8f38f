"""oidcc-ensure-post-request-succeeds: the authorization request by form POST works as by GET.

OIDC Core §3.1.2.1: "Authorization Servers MUST support the use of the HTTP GET and POST
methods"; POST parameters are form-serialized. The endpoint is CSRF-exempt: services post to it.
"""

from __future__ import annotations

from tests.support.pkce import new_pair

from .support import callback
from .support import validate_id_token


def test_authorization_request_by_post_completes(flow, browser, rp):
    verifier, challenge = new_pair()
    form = dict(
        response_type="code",
        client_id=rp.client_id,
        redirect_uri=rp.redirect_uri,
        scope="openid profile",
        state="posted-state",
        nonce="posted-nonce",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    response = browser.post("/authorize", data=form)
    assert response.status_code == 303
    flow.interaction = response.headers["Location"]
    flow.login_and_consent()
    code = callback(flow.last, "posted-state")["code"]
    tokens = flow.exchange_code(code, verifier=verifier).get_json()
    validate_id_token(
        browser, tokens["id_token"], rp.client_id, "posted-nonce", tokens["access_token"]
    )
