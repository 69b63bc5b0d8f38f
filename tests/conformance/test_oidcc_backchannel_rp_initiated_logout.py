"""oidcc-backchannel-rp-initiated-logout: an RP-initiated logout sends a valid logout token.

Back-Channel Logout 1.0 §2.4 (the logout token: `iss`, `aud`, `iat`, `exp`, `jti`, `events`
with the back-channel event, `sid` and/or `sub`, never a `nonce`; `typ: logout+jwt` per §2.4
and RFC 8725 §3.11), §2.5 (POSTed form-encoded as `logout_token`), §2.6 (validated like an ID
token, with the same `sid` and `sub`), and RP-Initiated Logout 1.0 §3 (the redirect back).
"""

from __future__ import annotations

import time

from joserfc import jws
from joserfc import jwt

from tests.conftest import register
from tests.support.flow import Flow

from .logouts import LOGGED_OUT
from .logouts import logged_in
from .support import ISSUER
from .support import SKEW
from .support import jwks
from .support import params
from .support import validate_id_token

EVENT = "http://schemas.openid.net/event/backchannel-logout"


def test_logout_token_reaches_the_service_and_validates(browser, app, receiver):
    rp = register(app, backchannel_logout_uri=receiver.url + "/backchannel")
    flow = Flow(browser, rp)
    tokens = logged_in(flow)
    id_claims = validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce)
    response = browser.get(
        "/logout",
        query_string={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": LOGGED_OUT,
            "state": "bc-state",
        },
    )
    assert params(response) == {"state": "bc-state"}
    assert [(m, p) for m, p, _ in receiver.requests] == [("POST", "/backchannel")]
    form = receiver.requests[0][2]
    assert set(form) == {"logout_token"}
    raw = form["logout_token"]
    header = jws.extract_compact(raw.encode()).headers()
    assert header["typ"] == "logout+jwt"
    assert header["alg"] == "RS256"
    claims = jwt.decode(raw, jwks(browser), algorithms=["RS256"]).claims
    now = int(time.time())
    assert claims["iss"] == ISSUER
    assert claims["aud"] == rp.client_id
    assert now - SKEW <= claims["iat"] <= now + SKEW
    assert claims["exp"] > now
    assert claims["jti"]
    assert claims["events"] == {EVENT: {}}
    assert claims["sid"] == id_claims["sid"]
    assert claims["sub"] == id_claims["sub"]
    assert "nonce" not in claims
