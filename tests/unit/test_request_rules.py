"""The authorization request's rules (idp/oidc/request_rules.py), row for row."""

from __future__ import annotations

import pytest
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc6749 import InvalidScopeError

from idp.oidc import request_rules
from idp.oidc.request_rules import Request
from idp.oidc.request_rules import first_error

VALID = {"response_type": "code", "nonce": "n" * 255, "state": "s" * 1024, "max_age": "0"}

BREACHES = [
    ("openid_scope", "profile", {}, InvalidScopeError, "include 'openid'"),
    ("response_mode", "openid", {"response_mode": "fragment"}, InvalidRequestError, "form_post"),
    ("parameter_lengths", "openid", {"nonce": "n" * 256}, InvalidRequestError, "'nonce' is longer"),
    ("parameter_lengths", "openid", {"state": "s" * 1025}, InvalidRequestError, "'state'"),
    ("parameter_lengths", "openid", {"ui_locales": "fi " * 34}, InvalidRequestError, "ui_locales"),
    ("prompt", "openid", {"prompt": "login sometimes"}, InvalidRequestError, "Unknown 'prompt'"),
    ("max_age", "openid", {"max_age": "-1"}, InvalidRequestError, "non-negative"),
    ("max_age", "openid", {"max_age": "9" * 10}, InvalidRequestError, "non-negative"),
    ("dpop_jkt", "openid", {"dpop_jkt": "not a thumbprint"}, InvalidRequestError, "thumbprint"),
    ("claims_parameter", "openid", {"claims": "[1]"}, InvalidRequestError, "claims"),
]


@pytest.mark.parametrize(
    ("name", "scope", "values", "error", "description"),
    BREACHES,
    ids=[f"{row[0]}-{i}" for i, row in enumerate(BREACHES)],
)
def test_each_rule_answers_its_own_breach(name, scope, values, error, description):
    broken, answer = first_error(Request(scope, {**VALID, **values}))
    assert broken.name == name
    assert type(answer) is error
    assert description in answer.description


def test_the_table_has_a_row_for_every_rule_in_order():
    named = list(dict.fromkeys(row[0] for row in BREACHES))
    assert named == [rule.name for rule in request_rules.RULES]


def test_a_request_within_every_rule_breaks_none():
    assert first_error(Request("openid profile", VALID)) is None
    assert (
        first_error(Request("openid", {"prompt": "none login", "response_mode": "form_post"}))
        is None
    )


def test_each_answer_is_a_new_error():
    # Authlib writes the request's state and redirect URI into the error it answers with.
    first = first_error(Request("profile", VALID))[1]
    second = first_error(Request("profile", VALID))[1]
    assert first is not second
