"""oidcc-server-client-secret-post: the code flow with `client_secret_post`.

OIDC Core §9 and RFC 6749 §2.3.1: the client sends `client_id` and `client_secret` in the form
body; a client registered for it may not switch to HTTP Basic (nor the reverse).
"""

from __future__ import annotations

from idp.storage.models import Token
from tests.conftest import register
from tests.support.checks import count
from tests.support.flow import Flow

from .support import callback
from .support import json_error
from .support import validate_id_token


def test_code_flow_with_client_secret_post(browser, app):
    rp = register(app, client_id="posting", token_endpoint_auth_method="client_secret_post")
    flow = Flow(browser, rp)
    flow.authorize()
    flow.login_and_consent()
    code = callback(flow.last, flow.state)["code"]
    data = dict(
        grant_type="authorization_code",
        code=code,
        redirect_uri=rp.redirect_uri,
        code_verifier=flow.verifier,
        client_id=rp.client_id,
        client_secret=rp.secret,
    )
    without_secret = {k: v for k, v in data.items() if k != "client_secret"}
    basic = browser.post("/token", data=without_secret, auth=rp.auth)
    json_error(basic, 401, "invalid_client")  # only the registered method (§9)
    assert count(app, Token) == 0
    response = browser.post("/token", data=data)
    assert response.status_code == 200
    tokens = response.get_json()
    validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce, tokens["access_token"])
