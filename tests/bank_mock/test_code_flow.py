"""One complete login: request object → screens → code → token → encrypted, signed ID token."""

from __future__ import annotations

import time

from bank_mock import hetu

from .support import CLIENT_ID
from .support import ISSUER
from .support import LOA3
from .support import account
from .support import query_of


def test_full_flow_releases_the_customers_identity(flow, ctx):
    aino = account("aurora", index=0)
    code = flow.authorization_code(aino, acr_values=LOA3)

    response = flow.exchange(code)

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"access_token", "token_type", "expires_in", "id_token"}
    assert body["token_type"] == "Bearer"
    outer, inner, claims = flow.open_id_token(body["id_token"])
    assert outer["alg"] == "RSA-OAEP"
    assert outer["enc"] == "A128CBC-HS256"
    assert outer["cty"] == "JWT"
    assert outer["kid"] == flow.keys.enc.kid
    assert inner["alg"] == "RS256"
    now = int(time.time())
    assert claims["iss"] == ISSUER
    assert claims["aud"] == CLIENT_ID
    assert claims["nonce"] == flow.nonce
    assert claims["acr"] == LOA3
    assert now - 5 <= claims["iat"] <= now
    assert claims["exp"] == claims["iat"] + 600
    assert claims["auth_time"] <= claims["iat"]
    citizen = aino.citizen
    assert claims["urn:oid:1.2.246.21"] == citizen.hetu
    assert claims["given_name"] == citizen.given_name
    assert claims["family_name"] == citizen.family_name
    assert claims["name"] == citizen.name
    assert claims["birthdate"] == citizen.birthdate.isoformat()
    assert hetu.validate(claims["urn:oid:1.2.246.21"]) == citizen.birthdate
    assert len(claims["sub"]) >= 16 and citizen.hetu not in claims["sub"]


def test_the_redirect_carries_state_and_iss(flow):
    flow.start()
    flow.log_in(account("aurora"))
    response = flow.release("continue")
    params = query_of(response.location)
    assert response.location.startswith("http://127.0.0.1:8400/methods/bank/callback?")
    assert params["state"] == flow.state
    assert params["iss"] == ISSUER
