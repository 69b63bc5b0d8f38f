"""oidcc-idtoken-rs256: a client registered for RS256 gets RS256 ID tokens with a `kid`.

OIDC Registration §2 (`id_token_signed_response_alg`), OIDC Core §3.1.3.7 item 7 and §10.1;
JWA RFC 7518 §3.3 (RS256 keys are at least 2048 bits).
"""

from __future__ import annotations

from tests.conftest import register
from tests.support.flow import Flow

from .support import jwks
from .support import validate_id_token


def test_rs256_id_token_from_a_2048_bit_key(browser, app):
    rp = register(app, id_token_signed_response_alg="RS256")
    flow = Flow(browser, rp)
    tokens = flow.code_flow()
    validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce, alg="RS256")
    rsa = [k for k in jwks(browser).keys if k.key_type == "RSA"]
    assert rsa and all(k.as_dict()["n"] and len(k.as_dict()["n"]) >= 342 for k in rsa)
