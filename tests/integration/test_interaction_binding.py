"""Interactions are bound to the browser that started them, expire, and finish once."""

from __future__ import annotations

import time

import pytest

from idp import create_app
from idp.extensions import db
from idp.interaction.store import COOKIE
from idp.sessions import COOKIE as SESSION_COOKIE
from idp.storage.models import AuthorizationCode
from idp.storage.models import ConsentGrant
from idp.storage.models import Interaction
from idp.storage.models import LoginSession
from tests.support.flow import Flow
from tests.support.flow import cookie_attributes
from tests.support.flow import count
from tests.support.flow import counts
from tests.support.flow import csrf_token
from tests.support.flow import query
from tests.support.settings import test_config as broker_config

FOREIGN = "This login was started in another browser."
EXPIRED = "This login has expired or was already finished."
STEPS = ["", "/method/dev/", "/consent"]


def at_consent(flow):
    flow.authorize()
    flow.login()
    assert flow.resume().headers["Location"].endswith("/consent")


@pytest.mark.parametrize("step", STEPS, ids=["method-choice", "method", "consent"])
def test_an_interaction_opened_in_another_browser_is_refused(flow, clean, ctx, step):
    at_consent(flow)
    stranger = clean.test_client()
    response = stranger.get(f"{flow.interaction}{step}")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert FOREIGN in html
    assert "<code>interaction_foreign</code>" in html
    assert counts(ctx, AuthorizationCode, ConsentGrant) == {
        "AuthorizationCode": 0,
        "ConsentGrant": 0,
    }
    # The rightful browser carries on undisturbed.
    assert "code" in flow.sign_in()


def test_another_browser_cannot_log_in_through_a_foreign_interaction(flow, clean, ctx):
    flow.authorize()
    stranger = Flow(clean.test_client(), flow.rp, interaction=flow.interaction)
    page = stranger.browser.get("/account/")  # a CSRF token of the stranger's own
    form = {"national_id": "020280-998S", "acr": "http://ftn.ficora.fi/2017/loa2"}
    form.update(action="login", csrf_token=csrf_token(page.get_data(as_text=True)))
    response = stranger.browser.post(f"{flow.interaction}/method/dev/continue", data=form)
    assert response.status_code == 403
    assert count(ctx, LoginSession) == 0
    assert ctx.execute(db.select(Interaction.session_sid)).scalar_one() is None


@pytest.mark.parametrize("step", STEPS, ids=["method-choice", "method", "consent"])
def test_an_expired_interaction_is_gone(flow, ctx, step):
    at_consent(flow)
    ia = ctx.execute(db.select(Interaction)).scalar_one()
    ia.expires_at = int(time.time()) - 1
    ctx.commit()
    response = flow.browser.get(f"{flow.interaction}{step}")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert EXPIRED in html
    assert "<code>interaction_expired</code>" in html
    assert count(ctx, AuthorizationCode) == 0


def test_a_finished_interaction_cannot_be_replayed(flow, ctx):
    flow.authorize()
    callback = flow.login_and_consent()
    assert "code" in callback
    for step in STEPS:
        response = flow.browser.get(f"{flow.interaction}{step}")
        assert response.status_code == 410, step
        assert EXPIRED in response.get_data(as_text=True)
    assert count(ctx, AuthorizationCode) == 1  # no second code
    ia = ctx.execute(db.select(Interaction)).scalar_one()
    assert ia.finished_at is not None


def test_a_finished_interactions_consent_cannot_be_posted_again(flow, ctx):
    at_consent(flow)
    html = flow.consent_page().get_data(as_text=True)
    flow.consent()
    assert "code" in query(flow.resume())
    response = flow.browser.post(
        f"{flow.interaction}/consent",
        data={"csrf_token": csrf_token(html), "decision": "allow", "remember": "yes"},
    )
    assert response.status_code == 410
    assert count(ctx, ConsentGrant) == 0
    assert count(ctx, AuthorizationCode) == 1


def test_the_interaction_cookie_is_httponly_samesite_lax_and_path_scoped(flow, ctx):
    response = flow.authorize()
    uid = ctx.execute(db.select(Interaction.uid)).scalar_one()
    attributes = cookie_attributes(response, COOKIE)
    assert "httponly" in attributes
    assert attributes["samesite"] == "Lax"
    assert attributes["path"] == f"/interaction/{uid}"
    assert int(attributes["max-age"]) == 900  # no longer than the interaction lives
    # The browser sends it to the interaction's own pages only.
    assert flow.browser.get_cookie(COOKIE, path=f"/interaction/{uid}") is not None
    assert flow.browser.get_cookie(COOKIE, path="/") is None


def test_each_interaction_has_its_own_cookie(flow, ctx):
    flow.authorize()
    first = flow.interaction
    flow.authorize()
    second = flow.interaction
    assert first != second
    assert flow.browser.get(first).status_code == 200  # both stay usable, side by side
    assert flow.browser.get(second).status_code == 200


def test_the_session_cookie_is_httponly_and_samesite_lax(flow):
    flow.authorize()
    response = flow.login()
    attributes = cookie_attributes(response, SESSION_COOKIE)
    assert "httponly" in attributes
    assert attributes["samesite"] == "Lax"
    assert attributes["path"] == "/"


def test_the_cookies_are_secure_when_the_broker_runs_on_https(database, rp):
    app = create_app(broker_config(database, SESSION_COOKIE_SECURE=True))
    try:
        flow = Flow(app.test_client(), rp)
        response = flow.authorize()
        assert "secure" in cookie_attributes(response, COOKIE)
    finally:
        with app.app_context():
            db.engine.dispose()
