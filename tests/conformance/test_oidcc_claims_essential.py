"""oidcc-claims-essential: an essential claim asked through `claims` is released at userinfo.

OIDC Core §5.5 (the `claims` parameter, `userinfo` member) and §5.5.1 (`essential`); the
citizen cannot untick an essential claim on the consent page, only decline the whole request.
"""

from __future__ import annotations

import json

from tests.support.checks import bearer

from .support import callback
from .support import validate_id_token


def test_essential_name_is_shown_as_required_and_released(flow, browser, rp):
    claims = json.dumps({"userinfo": {"name": {"essential": True}}})
    flow.authorize(scope="openid", claims=claims)
    flow.login()
    page = flow.consent_page().get_data(as_text=True)
    assert 'type="hidden" name="claim" value="name"' in page  # no checkbox to untick
    flow.consent()
    response = flow.resume()
    tokens = flow.exchange_code(callback(response, flow.state)["code"]).get_json()
    id_claims = validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce)
    info = browser.get("/userinfo", headers=bearer(tokens["access_token"])).get_json()
    assert info["name"] == "Aino Virtanen"
    assert info["sub"] == id_claims["sub"]
    assert set(info) == {"sub", "name"}  # nothing the request did not ask for
