"""The screens hand an interaction back to the protocol by a route (`/authorize/resume/<uid>`,
as node-oidc-provider resumes at `/auth/:uid`); only the protocol decides a login is complete."""

from __future__ import annotations

from idp.extensions import db
from idp.interaction.store import COOKIE
from idp.storage.models import AuthorizationCode
from idp.storage.models import Interaction
from tests.support.flow import count
from tests.support.flow import query


def resume_path(flow) -> str:
    return flow.interaction.replace("/interaction/", "/authorize/resume/")


def test_a_login_hands_the_interaction_back_to_the_protocol(flow, ctx):
    flow.authorize()
    response = flow.login()
    assert response.status_code == 303
    assert response.headers["Location"] == resume_path(flow)
    assert count(ctx, AuthorizationCode) == 0  # the screen issued nothing itself
    # Visiting the screen again sends the browser on to the protocol, too.
    assert flow.browser.get(flow.interaction).headers["Location"] == resume_path(flow)


def test_the_protocol_answers_at_the_resume_route(flow, ctx):
    flow.authorize()
    flow.login()
    consent = flow.browser.get(resume_path(flow))
    assert consent.status_code == 303
    assert consent.headers["Location"] == f"{flow.interaction}/consent"
    flow.consent()
    callback = query(flow.browser.get(resume_path(flow)))
    assert callback["state"] == flow.state and "code" in callback
    assert count(ctx, AuthorizationCode) == 1


def test_resuming_before_the_screens_are_done_asks_them_again(flow, ctx):
    flow.authorize()
    response = flow.browser.get(resume_path(flow))
    assert response.status_code == 303
    assert response.headers["Location"] == flow.interaction  # still no session: log in
    assert count(ctx, AuthorizationCode) == 0
    ia = ctx.execute(db.select(Interaction)).scalar_one()
    assert (ia.prompt["name"], ia.prompt["reason"]) == ("login", "no_session")


def test_another_browser_cannot_resume(flow, clean, ctx):
    flow.authorize()
    flow.login()
    stranger = clean.test_client()
    response = stranger.get(resume_path(flow))
    assert response.status_code == 403
    assert "<code>interaction_foreign</code>" in response.get_data(as_text=True)
    assert count(ctx, AuthorizationCode) == 0


def test_the_binding_cookie_reaches_the_resume_route_and_nothing_else(flow, ctx):
    flow.authorize()
    uid = ctx.execute(db.select(Interaction.uid)).scalar_one()
    assert flow.browser.get_cookie(COOKIE, path=f"/authorize/resume/{uid}") is not None
    assert flow.browser.get_cookie(COOKIE, path="/authorize") is None
    assert flow.browser.get_cookie(COOKIE, path="/") is None


def test_the_binding_cookie_is_set_for_the_screens_and_for_the_resume_route(flow):
    response = flow.authorize()
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "=")]
    parts = [[part.strip() for part in header.split(";")] for header in cookies]
    paths = {part[5:] for header in parts for part in header if part.startswith("Path=")}
    assert paths == {flow.interaction, resume_path(flow)}
    assert all("HttpOnly" in header and "SameSite=Lax" in header for header in parts)
