"""fapi2-security-profile-final-ensure-client-id-in-token-endpoint: no posing as another client.

RFC 6749 §5.2 and RFC 7523 §3: a token request naming the second client, with an assertion for
it signed by the first client's key, is refused (`invalid_client`, or `invalid_grant` since the
code is not the second client's); nothing is issued and the code is not spent.
"""

from __future__ import annotations

from joserfc.jwk import RSAKey

from tests.conftest import register

from .fapi import public_jwks
from .support import json_error
from .tokens import fresh_code
from .tokens import nothing_issued


def test_second_clients_id_with_the_first_clients_key_is_refused(fapi, app):
    other_key = RSAKey.generate_key(2048, parameters={"kid": "second"}, private=True)
    register(
        app,
        client_id="fapi-two",
        name="Second Service",
        redirect_uris=["https://fapi.example/cb"],
        token_endpoint_auth_method="private_key_jwt",
        jwks=public_jwks(other_key),
    )
    code = fresh_code(fapi)
    auth = fapi.client_auth(iss="fapi-two", sub="fapi-two")
    response = fapi.redeem(code, auth={**auth, "client_id": "fapi-two"})
    error = response.get_json()["error"]
    assert error in ("invalid_client", "invalid_grant")  # the module accepts either order
    json_error(response, (400, 401) if error == "invalid_client" else 400, error)  # RFC 6749 §5.2
    nothing_issued(app)
