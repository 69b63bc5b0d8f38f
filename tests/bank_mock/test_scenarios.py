"""Each failure scenario, bank-wide and per customer, and the demo switch."""

from __future__ import annotations

import json
import time

import pytest
from joserfc import jwe
from joserfc import jws
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from bank_mock import web
from bank_mock.scenarios import SCENARIOS

from .support import CLIENT_ID
from .support import ISSUER
from .support import BankFlow
from .support import account
from .support import query_of


def bank_with(make_bank, broker_keys, scenario: str = "", **settings) -> BankFlow:
    app = make_bank(SCENARIO=scenario, **settings)
    return BankFlow(app, app.test_client(), broker_keys)


def id_token_claims(flow: BankFlow, who) -> tuple[dict, dict]:
    """Log in and exchange; return the inner JWS header and claims, signature unchecked."""
    body = flow.exchange(flow.authorization_code(who)).get_json()
    inner = jwe.decrypt_compact(
        body["id_token"], flow.keys.enc, algorithms=["RSA-OAEP", "A128CBC-HS256"]
    )
    token = jws.extract_compact(inner.plaintext)
    return token.headers(), json.loads(token.payload)


@pytest.mark.parametrize(
    "path", ["/.well-known/openid-configuration", "/jwks.json", "/healthz", "/authorize", "/"]
)
def test_down_answers_503_everywhere(make_bank, broker_keys, path):
    flow = bank_with(make_bank, broker_keys, "down")
    assert flow.browser.get(path).status_code == 503


def test_down_health_says_so_and_the_demo_switch_brings_it_back(make_bank, broker_keys):
    flow = bank_with(make_bank, broker_keys, "down")
    assert flow.browser.get("/healthz").get_json() == {"status": "down"}
    assert flow.browser.post("/demo/scenario", data={"scenario": ""}).status_code == 200
    assert flow.browser.get("/healthz").get_json() == {"status": "ok"}
    assert flow.browser.get("/.well-known/openid-configuration").status_code == 200


def test_slow_waits_slow_seconds_before_every_answer(make_bank, broker_keys, monkeypatch):
    waits = []
    monkeypatch.setattr(web.time, "sleep", waits.append)
    flow = bank_with(make_bank, broker_keys, "slow", SLOW_SECONDS=8)
    assert flow.browser.get("/healthz").status_code == 200
    assert flow.browser.get("/jwks.json").status_code == 200
    assert waits == [8.0, 8.0]


def test_error_page_fails_the_authorization_endpoint_without_redirect(make_bank, broker_keys):
    flow = bank_with(make_bank, broker_keys, "error_page")
    response = flow.authorize()
    assert response.status_code == 500
    assert "Location" not in response.headers
    assert "<code>server_error</code>" in response.get_data(as_text=True)
    assert flow.browser.get("/healthz").status_code == 200


def test_access_denied_customer_is_refused_after_login(flow):
    flow.start()
    response = flow.log_in(account("aurora", "access_denied"))
    assert response.status_code == 302
    params = query_of(response.location)
    assert params["error"] == "access_denied"
    assert params["state"] == flow.state
    assert params["iss"] == ISSUER
    assert "code" not in params


def test_access_denied_bank_wide_refuses_everyone(make_bank, broker_keys):
    flow = bank_with(make_bank, broker_keys, "access_denied")
    flow.start()
    assert query_of(flow.log_in(account("aurora")).location)["error"] == "access_denied"


def test_bad_signature_uses_a_key_outside_the_jwks_under_the_same_kid(flow):
    body = flow.exchange(flow.authorization_code(account("aurora", "bad_signature"))).get_json()
    inner = jwe.decrypt_compact(
        body["id_token"], flow.keys.enc, algorithms=["RSA-OAEP", "A128CBC-HS256"]
    )
    jwks = flow.browser.get("/jwks.json").get_json()
    assert jws.extract_compact(inner.plaintext).headers()["kid"] == jwks["keys"][0]["kid"]
    with pytest.raises(BadSignatureError):
        jwt.decode(inner.plaintext, KeySet.import_key_set(jwks), algorithms=["RS256"])


def test_wrong_nonce(flow):
    _, claims = id_token_claims(flow, account("aurora", "wrong_nonce"))
    assert claims["nonce"] != flow.nonce


def test_expired_id_token(flow):
    _, claims = id_token_claims(flow, account("aurora", "expired_id_token"))
    assert claims["exp"] < time.time()


def test_wrong_audience(flow):
    _, claims = id_token_claims(flow, account("aurora", "wrong_audience"))
    assert claims["aud"] != CLIENT_ID


def test_a_bank_wide_id_token_fault_reaches_every_customer(make_bank, broker_keys):
    flow = bank_with(make_bank, broker_keys, "wrong_nonce")
    _, claims = id_token_claims(flow, account("aurora"))
    assert claims["nonce"] != flow.nonce


def test_a_customers_scenario_touches_no_one_else(flow):
    _, claims = id_token_claims(flow, account("aurora", index=1))
    assert claims["nonce"] == flow.nonce
    assert claims["aud"] == CLIENT_ID


def test_the_scenario_switch_is_refused_outside_demo_and_testing(make_bank, broker_keys):
    flow = bank_with(make_bank, broker_keys, TESTING=False, SECRET_KEY="k" * 32, DEBUG=False)
    assert flow.browser.post("/demo/scenario", data={"scenario": "down"}).status_code == 404
    assert flow.browser.get("/healthz").status_code == 200


def test_the_scenario_switch_sets_and_refuses_unknown_names(flow):
    assert flow.browser.post("/demo/scenario", data={"scenario": "down"}).get_json() == {
        "scenario": "down"
    }
    assert flow.browser.get("/jwks.json").status_code == 503
    unknown = flow.browser.post("/demo/scenario", data={"scenario": "flood"})
    assert unknown.status_code == 400
    assert flow.browser.get("/jwks.json").status_code == 503


def test_every_scenario_is_described():
    assert set(SCENARIOS) == {
        "down",
        "slow",
        "error_page",
        "access_denied",
        "bad_signature",
        "wrong_nonce",
        "expired_id_token",
        "wrong_audience",
    }
    assert all(s.description for s in SCENARIOS.values())
