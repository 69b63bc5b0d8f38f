"""private_key_jwt at the token endpoint: the only way a broker authenticates."""

from __future__ import annotations

import time

import pytest
from joserfc.jwk import RSAKey

from .support import ISSUER
from .support import BankFlow
from .support import account

OTHER_KEY = RSAKey.generate_key(2048, parameters={"use": "sig"})


@pytest.fixture
def code(flow) -> str:
    return flow.authorization_code(account("aurora"))


def assert_invalid_client(response) -> None:
    assert response.status_code in (400, 401), response.get_data(as_text=True)
    assert response.get_json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "assertion",
    [
        pytest.param(
            lambda f: f.client_assertion(aud="http://127.0.0.1:8412/token"), id="wrong_aud"
        ),
        pytest.param(lambda f: f.client_assertion(aud=None), id="no_aud"),
        pytest.param(
            lambda f: f.client_assertion(iat=int(time.time()) - 600, exp=int(time.time()) - 120),
            id="expired",
        ),
        pytest.param(lambda f: f.client_assertion(exp=None), id="no_exp"),
        pytest.param(lambda f: f.client_assertion(jti=None), id="no_jti"),
        pytest.param(lambda f: f.client_assertion(key=OTHER_KEY), id="wrong_key"),
        pytest.param(lambda f: f.client_assertion(iss="someone-else"), id="iss_is_not_sub"),
        pytest.param(
            lambda f: f.client_assertion(iss="stranger", sub="stranger"), id="unknown_client"
        ),
    ],
)
def test_bad_assertions_are_refused_and_the_code_survives(flow, code, assertion):
    assert_invalid_client(flow.exchange(code, assertion=assertion(flow)))
    assert flow.exchange(code).status_code == 200  # the code was not spent by the failure


def test_the_issuer_is_also_an_accepted_audience(flow, code):
    assert flow.exchange(code, assertion=flow.client_assertion(aud=ISSUER)).status_code == 200


def test_a_replayed_assertion_is_refused(flow, code):
    assertion = flow.client_assertion()
    assert flow.exchange(code, assertion=assertion).status_code == 200
    second = flow.again()
    code = second.authorization_code(account("aurora", index=1))
    assert_invalid_client(second.exchange(code, assertion=assertion))


def test_a_replay_is_refused_even_after_a_restart(flow, make_bank, broker_keys):
    assertion = flow.client_assertion()
    first = flow.authorization_code(account("aurora"))
    assert flow.exchange(first, assertion=assertion).status_code == 200
    restarted = make_bank(DATABASE_URL=flow.app.config["DATABASE_URL"])
    other = BankFlow(restarted, restarted.test_client(), broker_keys)
    code = other.authorization_code(account("aurora", index=1))
    assert_invalid_client(other.exchange(code, assertion=assertion))


def test_a_failed_token_request_still_uses_up_its_assertion(flow, code):
    assertion = flow.client_assertion()
    assert flow.exchange(code, assertion=assertion, code_verifier="x" * 43).status_code == 400
    assert_invalid_client(flow.exchange(code, assertion=assertion))


@pytest.mark.parametrize(
    "form",
    [
        pytest.param({"client_assertion": None, "client_assertion_type": None}, id="none"),
        pytest.param({"client_assertion_type": "urn:other"}, id="wrong_type"),
        pytest.param(
            {
                "client_assertion": None,
                "client_assertion_type": None,
                "client_id": "silta-broker",
                "client_secret": "guess",
            },
            id="client_secret_post",
        ),
    ],
)
def test_other_client_authentication_is_refused(flow, code, form):
    assert_invalid_client(flow.exchange(code, **form))


def test_client_secret_basic_is_refused(flow, code):
    response = flow.browser.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": flow.verifier,
            "redirect_uri": "http://127.0.0.1:8400/methods/bank/callback",
        },
        auth=("silta-broker", "guess"),
    )
    assert_invalid_client(response)
