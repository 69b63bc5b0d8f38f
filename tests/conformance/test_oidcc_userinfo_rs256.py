"""oidcc-userinfo-rs256: a client registered for signed userinfo gets an RS256 JWT.

OIDC Core §5.3.2: a signed userinfo response is `application/jwt` and SHOULD carry `iss` and
`aud`; its `sub` equals the ID token's. OIDC Registration §2 `userinfo_signed_response_alg`.
"""

from __future__ import annotations

from joserfc import jws
from joserfc import jwt

from tests.conftest import register
from tests.support.checks import bearer
from tests.support.flow import Flow

from .support import ISSUER
from .support import jwks
from .support import validate_id_token


def test_signed_userinfo_verifies_against_the_jwks(browser, app):
    rp = register(app, userinfo_signed_response_alg="RS256")
    flow = Flow(browser, rp)
    tokens = flow.code_flow()
    id_claims = validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce)
    response = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    raw = response.get_data(as_text=True)
    header = jws.extract_compact(raw.encode()).headers()
    assert header["alg"] == "RS256" and header["kid"]
    claims = jwt.decode(raw, jwks(browser), algorithms=["RS256"]).claims
    assert claims["iss"] == ISSUER
    assert claims["aud"] == rp.client_id
    assert claims["sub"] == id_claims["sub"]
    assert claims["given_name"] == id_claims["given_name"]
