"""fapi2-security-profile-final-ensure-client-assertion-in-token-endpoint.

FAPI 2.0 §5.3.2.1 and RFC 6749 §5.2: a `private_key_jwt` client that sends no assertion is
`invalid_client`. RFC 7523 §3 item 7 and OIDC Core §9: an assertion's `jti` is used once, so a
replayed assertion is `invalid_client` too. Neither issues anything nor spends the code.
"""

from __future__ import annotations

from .support import json_error
from .tokens import fresh_code
from .tokens import nothing_issued


def test_token_request_without_an_assertion_is_invalid_client(fapi, app):
    code = fresh_code(fapi)
    json_error(
        fapi.redeem(code, auth={"client_id": fapi.rp.client_id}), (400, 401), "invalid_client"
    )
    nothing_issued(app)


def test_a_replayed_assertion_is_invalid_client(fapi, app):
    code = fresh_code(fapi)
    used = fapi.client_auth()
    pushed = fapi.push(auth=used)  # spends the assertion's jti at /par
    assert pushed.status_code == 201
    json_error(fapi.redeem(code, auth=used), (400, 401), "invalid_client")
    nothing_issued(app)
