"""oidcc-claims-locales: `claims_locales` is accepted; the released values do not change.

OIDC Core §5.2: the OP returns claims in the requested languages where it has them. The
broker's claims (names, a date, a number, a boolean) have one value in every language.
"""

from __future__ import annotations

from tests.support.checks import bearer

from .support import callback
from .support import validate_id_token


def test_claims_locales_is_accepted_and_values_are_unchanged(flow, browser, rp):
    flow.authorize(claims_locales="fi ja")
    flow.login_and_consent()
    tokens = flow.exchange_code(callback(flow.last, flow.state)["code"]).get_json()
    claims = validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce)
    info = browser.get("/userinfo", headers=bearer(tokens["access_token"])).get_json()
    assert info["given_name"] == claims["given_name"] == "Aino"
    assert not any("#" in name for name in info)  # no language-tagged claim names (§5.2)
