"""oidcc-id-token-hint: a hint naming the logged-in citizen lets `prompt=none` succeed.

OIDC Core §3.1.2.1 (`id_token_hint`: an ID token this OP issued; expired is fine) and §3.1.2.6
(a hint naming someone else than the session's citizen is `login_required` with `prompt=none`).
A hint the broker cannot verify is `invalid_request` (docs/relying-party-guide.md).
"""

from __future__ import annotations

from joserfc import jwt
from joserfc.jwk import RSAKey

from .logins import first_login
from .logins import second_id_token
from .support import ISSUER
from .support import assert_unchanged
from .support import callback
from .support import redirect_error
from .support import snapshot


def test_hint_for_the_session_citizen_answers_without_a_page(flow):
    first = first_login(flow)
    response = flow.authorize(prompt="none", id_token_hint=first["raw"])
    callback(response, flow.state)
    assert second_id_token(flow)["sub"] == first["sub"]


def test_hint_not_issued_by_the_broker_is_invalid_request(flow, rp, app):
    first = first_login(flow)
    stranger = RSAKey.generate_key(2048, private=True)
    forged = jwt.encode(
        {"alg": "RS256"},
        {"iss": ISSUER, "aud": rp.client_id, "sub": first["sub"], "exp": first["exp"]},
        stranger,
    )
    before = snapshot(app)
    response = flow.authorize(prompt="none", id_token_hint=forged)
    redirect_error(response, rp.redirect_uri, "invalid_request", flow.state)
    assert_unchanged(app, before)
