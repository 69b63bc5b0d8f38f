"""The `prompt` parameter (OIDC Core §3.1.2.1, errors §3.1.2.6)."""

from __future__ import annotations

import pytest

from idp.extensions import db
from idp.storage.models import AuthorizationCode
from idp.storage.models import ConsentGrant
from idp.storage.models import Interaction
from idp.storage.models import LoginSession
from idp.storage.models import Token
from tests.support.flow import ISSUER
from tests.support.flow import LOA3
from tests.support.flow import counts
from tests.support.flow import id_token_claims
from tests.support.flow import query

ISSUED = (Interaction, AuthorizationCode, Token, ConsentGrant)
NOTHING = {model.__name__: 0 for model in ISSUED}


def assert_error_to_service(response, flow, error: str) -> dict[str, str]:
    assert response.status_code == 302
    assert response.headers["Location"].startswith(flow.rp.redirect_uri + "?")
    params = query(response)
    assert params["error"] == error
    assert params["state"] == flow.state
    assert params["iss"] == ISSUER  # RFC 9207 §2: errors name the issuer too
    assert "code" not in params
    return params


def test_prompt_none_without_a_session_is_login_required_and_stores_nothing(flow, ctx):
    response = flow.authorize(prompt="none")
    assert_error_to_service(response, flow, "login_required")
    assert counts(ctx, *ISSUED) == NOTHING


def test_prompt_none_with_a_session_but_no_remembered_consent_is_consent_required(flow, ctx):
    flow.code_flow()  # consent given once, not remembered
    before = counts(ctx, *ISSUED)
    response = flow.authorize(prompt="none")
    assert_error_to_service(response, flow, "consent_required")
    assert counts(ctx, *ISSUED) == before  # no new interaction, code or token


def test_prompt_none_with_a_session_and_remembered_consent_gives_a_code_at_once(flow, ctx):
    flow.authorize()
    flow.login_and_consent(remember=True)
    response = flow.authorize(prompt="none")
    assert response.status_code == 302
    callback = query(response)
    assert callback["state"] == flow.state
    assert callback["iss"] == ISSUER
    assert flow.exchange_code(callback["code"]).status_code == 200
    assert counts(ctx, Interaction)["Interaction"] == 1  # only the first login's


def test_prompt_login_with_a_live_session_asks_again_and_issues_a_new_auth_time(flow, ctx):
    flow.authorize()
    flow.login_and_consent(remember=True)
    old = ctx.execute(db.select(LoginSession)).scalar_one()
    old.auth_time -= 600  # the first login was ten minutes ago
    ctx.commit()
    old_sid, old_auth_time = old.sid, old.auth_time

    response = flow.authorize(prompt="login")
    assert response.status_code == 303  # a live session and remembered consent, yet not SSO
    page = flow.method_choice()
    assert page.status_code == 200
    assert "The service asks you to identify yourself again." in page.get_data(as_text=True)

    callback = flow.sign_in()
    id_token = flow.tokens(callback)["id_token"]
    claims = id_token_claims(flow.browser, id_token)
    assert claims["auth_time"] > old_auth_time
    # The same person re-authenticated: the session (and its sid) goes on, renewed.
    assert claims["sid"] == old_sid
    ctx.expire_all()
    sessions = ctx.execute(db.select(LoginSession).order_by(LoginSession.id)).scalars().all()
    assert len(sessions) == 1
    assert sessions[0].ended_at is None
    assert sessions[0].auth_time == claims["auth_time"]


def test_prompt_login_after_the_new_login_does_not_ask_a_second_time(flow):
    flow.authorize()
    flow.login_and_consent(remember=True)
    flow.authorize(prompt="login")
    flow.login()
    response = flow.resume()
    assert response.status_code == 302  # authenticated in this interaction: done
    assert "code" in query(response)


def test_prompt_consent_with_a_remembered_grant_shows_the_consent_page(flow):
    flow.authorize()
    flow.login_and_consent(remember=True)
    response = flow.authorize(prompt="consent")
    assert response.status_code == 303
    assert flow.resume().headers["Location"].endswith("/consent")
    page = flow.consent_page()
    assert page.status_code == 200
    assert "Pass your data to Tax Administration?" in page.get_data(as_text=True)
    flow.consent()
    assert "code" in query(flow.resume())


@pytest.mark.parametrize(
    "prompt",
    [
        "none login",  # §3.1.2.1: none with any other value is an error
        "none consent",
        "login none",
        "bogus",  # not a value §3.1.2.1 defines
        "login bogus",
    ],
)
def test_invalid_prompt_is_invalid_request_and_stores_nothing(flow, ctx, prompt):
    response = flow.authorize(prompt=prompt)
    assert_error_to_service(response, flow, "invalid_request")
    assert counts(ctx, *ISSUED) == NOTHING


def test_invalid_prompt_with_a_session_is_invalid_request_too(flow, ctx):
    flow.authorize()
    flow.login_and_consent(remember=True)
    before = counts(ctx, *ISSUED)
    response = flow.authorize(prompt="none login")
    assert_error_to_service(response, flow, "invalid_request")
    assert counts(ctx, *ISSUED) == before


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (dict(max_age="1"), "login_required"),  # the session is older than max_age
        (dict(acr_values=LOA3), "login_required"),  # the session is only substantial
        (dict(scope="openid profile age"), "consent_required"),  # more than was remembered
    ],
    ids=["max-age", "acr", "more-claims"],
)
def test_prompt_none_when_the_citizen_would_have_to_act(flow, ctx, params, error):
    flow.authorize()
    flow.login_and_consent(remember=True)
    session = ctx.execute(db.select(LoginSession)).scalar_one()
    session.auth_time -= 10
    ctx.commit()
    before = counts(ctx, *ISSUED)
    response = flow.authorize(prompt="none", **params)
    assert_error_to_service(response, flow, error)
    assert counts(ctx, *ISSUED) == before
