"""The `max_age` parameter (OIDC Core §3.1.2.1) and the ID token's `auth_time` (§2)."""

from __future__ import annotations

import time

import pytest

from idp.extensions import db
from idp.storage.models import AuthorizationCode
from idp.storage.models import Interaction
from idp.storage.models import LoginSession
from idp.storage.models import Token
from tests.support.flow import ISSUER
from tests.support.flow import counts
from tests.support.flow import id_token_claims
from tests.support.flow import query

ISSUED = (Interaction, AuthorizationCode, Token)


@pytest.fixture
def logged_in(flow):
    """A citizen with a live session and a remembered consent: SSO unless asked otherwise."""
    flow.authorize()
    flow.login_and_consent(remember=True)
    return flow


def age_session(ctx, seconds: int) -> int:
    """Move the live session's auth_time back; return the new auth_time."""
    session = ctx.execute(db.select(LoginSession).filter_by(ended_at=None)).scalar_one()
    session.auth_time = int(time.time()) - seconds
    ctx.commit()
    return session.auth_time


def test_max_age_shorter_than_the_session_forces_a_new_login(logged_in, ctx):
    old_auth_time = age_session(ctx, 5)
    response = logged_in.authorize(max_age="1")
    assert response.status_code == 303
    page = logged_in.method_choice()
    assert "The service asks you to identify yourself again." in page.get_data(as_text=True)
    assert counts(ctx, AuthorizationCode)["AuthorizationCode"] == 1  # only the first login's

    callback = logged_in.sign_in()
    claims = id_token_claims(logged_in.browser, logged_in.tokens(callback)["id_token"])
    assert claims["auth_time"] > old_auth_time
    assert claims["auth_time"] >= int(time.time()) - 5


def test_max_age_longer_than_the_session_is_single_sign_on(logged_in, ctx):
    auth_time = age_session(ctx, 5)
    response = logged_in.authorize(max_age="3600")
    assert response.status_code == 302
    callback = query(response)
    claims = id_token_claims(logged_in.browser, logged_in.tokens(callback)["id_token"])
    # §3.1.2.1: when max_age is used the ID token MUST carry auth_time: the original login's.
    assert claims["auth_time"] == auth_time


def test_max_age_zero_is_like_prompt_login(logged_in, ctx):
    age_session(ctx, 0)  # logged in this very second
    # OIDC Core §3.1.2.1 (errata set 2): "max_age=0 is equivalent to prompt=login".
    response = logged_in.authorize(max_age="0")
    assert response.status_code == 303
    callback = logged_in.sign_in()
    assert "code" in callback


def test_every_id_token_carries_auth_time(flow):
    flow.authorize()
    callback = flow.login_and_consent()
    claims = id_token_claims(flow.browser, flow.tokens(callback)["id_token"])
    assert abs(claims["auth_time"] - int(time.time())) <= 5


@pytest.mark.parametrize("max_age", ["abc", "-1", "1.5", "1e3", " 5"])
def test_invalid_max_age_is_invalid_request_and_stores_nothing(flow, ctx, max_age):
    response = flow.authorize(max_age=max_age)
    assert response.status_code == 302
    params = query(response)
    assert params["error"] == "invalid_request"
    assert params["state"] == flow.state
    assert params["iss"] == ISSUER
    assert "code" not in params
    assert counts(ctx, *ISSUED) == {model.__name__: 0 for model in ISSUED}


def test_invalid_max_age_with_a_session_issues_nothing(logged_in, ctx):
    before = counts(ctx, *ISSUED)
    response = logged_in.authorize(max_age="-1")
    assert query(response)["error"] == "invalid_request"
    assert counts(ctx, *ISSUED) == before
