"""fapi2-security-profile-final-happy-flow: PAR, PKCE, `private_key_jwt`, `iss`, a valid ID token.

FAPI 2.0 Security Profile §5.3.2.2 (pushed request; only `client_id` and `request_uri` at
/authorize), RFC 9207 §2 (`iss` in the response), RFC 6749 §4.1.2 (`state` echoed), OIDC Core
§3.1.3.7 (the ID token). RFC 6749 §4.1.3: a token request naming another `redirect_uri` than
the authorization request did is `invalid_grant`.
"""

from __future__ import annotations

from idp.storage.models import Token
from tests.support.checks import bearer
from tests.support.checks import count

from .support import callback
from .support import json_error
from .support import validate_id_token


def test_pushed_login_with_private_key_jwt(fapi, browser):
    response = fapi.start()
    assert response.status_code == 303
    fapi.login_and_consent()
    code = callback(fapi.last, fapi.state)["code"]
    tokens = fapi.redeem(code).get_json()
    claims = validate_id_token(
        browser, tokens["id_token"], fapi.rp.client_id, fapi.nonce, tokens["access_token"]
    )
    info = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    assert info.get_json()["sub"] == claims["sub"]


def test_token_request_with_another_redirect_uri_is_invalid_grant(fapi, app):
    fapi.start()
    fapi.login_and_consent()
    code = callback(fapi.last, fapi.state)["code"]
    response = fapi.redeem(code, redirect_uri="https://fapi.example/other")
    json_error(response, 400, "invalid_grant")
    assert count(app, Token) == 0
