"""Levels of assurance: `acr_values`, a client's required level, and the essential `acr` claim
(OIDC Core §3.1.2.1, §5.5.1.1; ARCHITECTURE §4)."""

from __future__ import annotations

import json

import pytest

from idp.assurance import EIDAS_HIGH
from idp.assurance import EIDAS_SUBSTANTIAL
from idp.assurance import FTN_LOA2
from idp.assurance import FTN_LOA3
from idp.storage.models import AuthorizationCode
from tests.conftest import register
from tests.support.flow import Flow
from tests.support.flow import count
from tests.support.flow import id_token_claims
from tests.support.flow import query

STRONGER = "This service needs a stronger identification than the one you used."


@pytest.fixture
def loa2(flow):
    """A citizen logged in at substantial (bank) level, consent remembered."""
    flow.authorize()
    flow.login_and_consent(remember=True, acr=FTN_LOA2)
    return flow


def acr_of(flow, callback) -> str:
    return id_token_claims(flow.browser, flow.tokens(callback)["id_token"])["acr"]


def assert_asks_for_a_stronger_login(flow, response, ctx, codes_before: int):
    assert response.status_code == 303
    page = flow.method_choice()
    assert page.status_code == 200
    assert STRONGER in page.get_data(as_text=True)
    assert count(ctx, AuthorizationCode) == codes_before


def test_acr_values_above_the_session_level_asks_for_a_new_login(loa2, ctx):
    response = loa2.authorize(acr_values=FTN_LOA3)
    assert_asks_for_a_stronger_login(loa2, response, ctx, 1)
    callback = loa2.sign_in(acr=FTN_LOA3)
    assert acr_of(loa2, callback) == FTN_LOA3


def test_a_login_below_the_asked_level_is_not_accepted(flow, ctx):
    flow.authorize(acr_values=FTN_LOA3)
    flow.login(acr=FTN_LOA2)  # the citizen reached only substantial
    page = flow.resume()
    assert page.status_code == 200  # back at the method choice, not at the service
    assert STRONGER in page.get_data(as_text=True)
    assert count(ctx, AuthorizationCode) == 0


def test_acr_values_at_or_below_the_session_level_is_single_sign_on(loa2):
    response = loa2.authorize(acr_values=f"{FTN_LOA3} {FTN_LOA2}")  # either will do
    assert response.status_code == 302
    assert acr_of(loa2, query(response)) == FTN_LOA2


@pytest.mark.parametrize(
    ("asked", "reached", "answered"),
    [
        (EIDAS_SUBSTANTIAL, FTN_LOA2, EIDAS_SUBSTANTIAL),
        (EIDAS_HIGH, FTN_LOA3, EIDAS_HIGH),
        (FTN_LOA2, FTN_LOA2, FTN_LOA2),
        (None, FTN_LOA3, FTN_LOA3),  # nothing asked: the FTN vocabulary
    ],
)
def test_acr_is_answered_in_the_vocabulary_the_service_asked_in(flow, asked, reached, answered):
    flow.authorize(acr_values=asked)
    callback = flow.sign_in(acr=reached)
    assert acr_of(flow, callback) == answered


def test_a_client_registered_with_required_acr_is_not_served_by_a_loa2_session(loa2, clean, ctx):
    health = register(
        clean,
        client_id="health",
        name="Health Records",
        redirect_uris=["https://health.example/cb"],
        required_acr=FTN_LOA3,
    )
    other = Flow(loa2.browser, health)
    response = other.authorize()  # no acr_values at all
    assert_asks_for_a_stronger_login(other, response, ctx, 1)
    other.login(acr=FTN_LOA2)
    assert STRONGER in other.resume().get_data(as_text=True)  # loa2 again: still not enough
    callback = other.sign_in(acr=FTN_LOA3)
    assert acr_of(other, callback) == FTN_LOA3


def test_required_acr_applies_even_when_the_request_asks_for_less(loa2, clean, ctx):
    health = register(
        clean,
        client_id="health",
        name="Health Records",
        redirect_uris=["https://health.example/cb"],
        required_acr=FTN_LOA3,
    )
    other = Flow(loa2.browser, health)
    response = other.authorize(acr_values=FTN_LOA2)
    assert_asks_for_a_stronger_login(other, response, ctx, 1)


def essential_acr(*values: str) -> str:
    return json.dumps({"id_token": {"acr": {"essential": True, "values": list(values)}}})


def test_essential_acr_in_the_claims_parameter_asks_for_a_new_login(loa2, ctx):
    response = loa2.authorize(claims=essential_acr(FTN_LOA3))
    assert_asks_for_a_stronger_login(loa2, response, ctx, 1)
    callback = loa2.sign_in(acr=FTN_LOA3)
    assert acr_of(loa2, callback) == FTN_LOA3


def test_essential_acr_with_a_single_value_member(loa2, ctx):
    claims = json.dumps({"id_token": {"acr": {"essential": True, "value": FTN_LOA3}}})
    response = loa2.authorize(claims=claims)
    assert_asks_for_a_stronger_login(loa2, response, ctx, 1)


def test_voluntary_acr_in_the_claims_parameter_is_only_a_wish(loa2):
    claims = json.dumps({"id_token": {"acr": {"values": [FTN_LOA3]}}})
    response = loa2.authorize(claims=claims)
    assert response.status_code == 302  # §5.5.1.1: not essential, so the session will do
    assert "code" in query(response)


def test_essential_acr_values_are_answered_with_one_of_the_requested_values(flow):
    # §5.5.1.1: for an essential acr with values, the OP MUST return one of those values.
    flow.authorize(claims=essential_acr(EIDAS_HIGH))
    callback = flow.sign_in(acr=FTN_LOA3)
    assert acr_of(flow, callback) == EIDAS_HIGH
