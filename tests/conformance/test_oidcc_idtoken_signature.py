"""oidcc-idtoken-signature: the ID token is signed with the registered algorithm and a named key.

OIDC Core §3.1.3.7 items 6–7 (the signature, with the algorithm the client registered) and §10.1
(the header's `kid` names a key of the JWKS). Any change to the token breaks the signature.
"""

from __future__ import annotations

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError

from tests.conftest import register
from tests.support.flow import Flow

from .support import jwks
from .support import validate_id_token


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_id_token_is_signed_with_the_registered_algorithm_and_kid(browser, app, alg):
    rp = register(app, id_token_signed_response_alg=alg)
    flow = Flow(browser, rp)
    tokens = flow.code_flow()
    validate_id_token(
        browser, tokens["id_token"], rp.client_id, flow.nonce, tokens["access_token"], alg=alg
    )


def test_a_changed_payload_fails_the_signature(flow, browser):
    tokens = flow.code_flow()
    header, payload, signature = tokens["id_token"].split(".")
    tampered = ".".join(
        [header, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB"), signature]
    )
    with pytest.raises((BadSignatureError, ValueError)):
        jwt.decode(tampered, jwks(browser), algorithms=["RS256"])
