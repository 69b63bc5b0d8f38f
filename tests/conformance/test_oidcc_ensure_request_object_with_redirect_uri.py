"""oidcc-ensure-request-object-with-redirect-uri: the redirect URI is taken from the object.

OIDC Core §6.1 and RFC 9101 §5: the broker processes the signed request object; its
`redirect_uri` (absent outside) is where the response goes. `response_type`, `client_id` and
`scope` are repeated outside, as OIDC Core §6.1 requires of OAuth parameters.
"""

from __future__ import annotations

from .support import callback
from .support import validate_id_token


def test_redirect_uri_only_inside_the_object_is_used(signer, browser):
    request = signer.request_object()
    response = browser.get(
        "/authorize",
        query_string={
            "client_id": signer.rp.client_id,
            "response_type": "code",
            "scope": "openid profile",
            "request": request,
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    signer.interaction = response.headers["Location"]
    signer.login_and_consent()
    assert signer.last.headers["Location"].startswith(signer.rp.redirect_uri + "?")
    code = callback(signer.last, signer.state)["code"]
    tokens = signer.redeem(code).get_json()
    validate_id_token(browser, tokens["id_token"], signer.rp.client_id, signer.nonce)
