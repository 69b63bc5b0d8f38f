"""Re-authentication keeps the session of the same person and ends the session of another.

OIDC Back-Channel Logout 1.0 §2.1: a `sid` identifies the login session at the OP. A step-up,
`prompt=login` or `max_age` re-authenticates the person already logged in: their session goes on
with the same `sid` (no logout reaches the services) and a new cookie token (session fixation).
Someone else logging in in the same browser ends the old session and tells its services.
"""

from __future__ import annotations

import pytest

from idp.extensions import db
from idp.sessions import COOKIE
from idp.storage.models import LoginSession
from tests.conftest import register
from tests.support.flow import LOA2
from tests.support.flow import LOA3
from tests.support.flow import Flow
from tests.support.flow import id_token_claims


@pytest.fixture
def logged_in(clean, browser, receiver) -> tuple[Flow, dict]:
    """A citizen logged in at loa2 to a service with a back-channel; the ID token's claims."""
    rp = register(clean, backchannel_logout_uri=receiver.url)
    flow = Flow(browser, rp)
    flow.authorize()
    tokens = flow.tokens(flow.sign_in(remember=True, acr=LOA2))
    return flow, id_token_claims(browser, tokens["id_token"])


def sessions_in(app) -> list[LoginSession]:
    with app.app_context():
        rows = db.session.execute(db.select(LoginSession).order_by(LoginSession.id)).scalars()
        return [(row.sid, row.acr, row.auth_time, row.ended_at) for row in rows]


def test_a_step_up_by_the_same_person_keeps_the_sid_and_tells_no_service(
    clean, browser, receiver, logged_in, audit
):
    flow, first = logged_in
    cookie_before = browser.get_cookie(COOKIE).value
    [(sid, acr, _, _)] = sessions_in(clean)
    assert (sid, acr) == (first["sid"], LOA2)

    flow.authorize(acr_values=LOA3)  # the service asks for more than the session has
    assert flow.interaction is not None
    audit.events.clear()
    claims = id_token_claims(browser, flow.tokens(flow.sign_in(acr=LOA3))["id_token"])

    assert claims["sid"] == first["sid"]  # the same session at the OP
    assert claims["acr"] == LOA3
    assert claims["sub"] == first["sub"]
    assert receiver.tokens == []  # no back-channel logout for a session that goes on
    [(sid, acr, auth_time, ended_at)] = sessions_in(clean)
    assert (sid, acr, auth_time, ended_at) == (first["sid"], LOA3, claims["auth_time"], None)
    events = audit.events
    assert "login.succeeded" in events
    assert "session.started" not in events and "session.ended" not in events

    # Session fixation: the cookie token changed, and the one from before the login is dead.
    cookie_after = browser.get_cookie(COOKIE).value
    assert cookie_after != cookie_before
    stale = clean.test_client()
    stale.set_cookie(COOKIE, cookie_before)
    retry = Flow(stale, flow.rp)
    assert retry.authorize().status_code == 303  # no session: to the method choice
    fresh = clean.test_client()
    fresh.set_cookie(COOKIE, cookie_after)
    assert Flow(fresh, flow.rp).authorize().status_code == 302  # SSO with the new cookie


def test_prompt_login_by_the_same_person_keeps_the_sid(clean, browser, receiver, logged_in):
    flow, first = logged_in
    flow.authorize(prompt="login")
    claims = id_token_claims(browser, flow.tokens(flow.sign_in())["id_token"])
    assert claims["sid"] == first["sid"]
    assert receiver.tokens == []
    assert len(sessions_in(clean)) == 1


def test_another_person_logging_in_ends_the_old_session_with_its_logout(
    clean, browser, receiver, logged_in, audit
):
    flow, first = logged_in
    flow.authorize(prompt="login")
    audit.events.clear()
    claims = id_token_claims(
        browser,
        flow.tokens(flow.sign_in(national_id="070770-905D", given_name="Eino"))["id_token"],
    )

    assert claims["sid"] != first["sid"]
    assert claims["sub"] != first["sub"]
    assert len(receiver.tokens) == 1  # the old session's service was told
    old, new = sessions_in(clean)
    assert old[0] == first["sid"] and old[3] is not None
    assert new[0] == claims["sid"] and new[3] is None
    events = audit.events
    assert "session.ended" in events and "session.started" in events
