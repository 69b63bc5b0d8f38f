"""Claims: what a request asks for, what a client may have, and their values."""

from __future__ import annotations

import datetime
import json
from types import SimpleNamespace

import pytest

from idp.oidc.claims import AGE_OVER_18
from idp.oidc.claims import NATIONAL_ID
from idp.oidc.claims import ClaimsParameterError
from idp.oidc.claims import claim_values
from idp.oidc.claims import parse_claims_parameter
from idp.oidc.claims import requested_claims

ALL = ["given_name", "family_name", "name", "birthdate", NATIONAL_ID, AGE_OVER_18]


def test_scope_claims_are_voluntary():
    asked = requested_claims("openid profile", {}, ALL)
    assert asked.voluntary == {"given_name", "family_name", "name", "birthdate"}
    assert asked.essential == frozenset()


def test_essential_claims_come_from_the_claims_parameter():
    parameter = {"id_token": {"birthdate": {"essential": True}, "given_name": None}}
    asked = requested_claims("openid", parameter, ALL)
    assert asked.essential == {"birthdate"}
    assert asked.voluntary == {"given_name"}


def test_claims_outside_the_registration_are_never_requested():
    asked = requested_claims(
        "openid profile national_id",
        {"userinfo": {NATIONAL_ID: {"essential": True}}},
        ["given_name"],
    )
    assert asked.all == {"given_name"}


def test_essential_acr_values_are_collected_and_authentication_claims_skipped():
    parameter = {
        "id_token": {
            "acr": {"essential": True, "values": ["x", "y"]},
            "sub": None,
            "auth_time": {"essential": True},
        }
    }
    asked = requested_claims("openid", parameter, ALL)
    assert asked.acr_values == ("x", "y")
    assert asked.all == frozenset()


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        json.dumps({"other": {}}),
        json.dumps({"id_token": []}),
        json.dumps({"id_token": {"name": 5}}),
        json.dumps({"id_token": {"name": {"values": "x"}}}),
    ],
)
def test_malformed_claims_parameter_is_refused(raw):
    with pytest.raises(ClaimsParameterError):
        parse_claims_parameter(raw)


def test_empty_claims_parameter_is_no_request():
    assert parse_claims_parameter(None) == {}
    assert parse_claims_parameter("") == {}


def person(**fields):
    base = dict(
        given_name="Aino", family_name="Virtanen", birthdate="2008-02-29", national_id="290208A998J"
    )
    base.update(fields)
    return SimpleNamespace(**base)


@pytest.mark.parametrize(
    ("today", "adult"),
    [
        (datetime.date(2026, 2, 28), False),
        (datetime.date(2026, 3, 1), True),  # born on 29 February: adult on 1 March
        (datetime.date(2030, 1, 1), True),
    ],
)
def test_age_over_18_is_derived_from_the_birthdate(today, adult):
    assert claim_values(person(), [AGE_OVER_18], today)[AGE_OVER_18] is adult


def test_values_only_for_named_claims_and_missing_values_left_out():
    values = claim_values(person(family_name=None), ["name", "family_name", NATIONAL_ID])
    assert values == {"name": "Aino", NATIONAL_ID: "290208A998J"}
