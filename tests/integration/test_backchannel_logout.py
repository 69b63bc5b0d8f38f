"""Back-Channel Logout 1.0: every service of an ended session is told, and told again if it
was down, even across a broker restart."""

from __future__ import annotations

from joserfc import jwt
from joserfc.jwk import KeySet

from idp import create_app
from idp.extensions import db
from idp.oidc import backchannel
from idp.storage.models import LogoutDelivery
from tests.conftest import register
from tests.support.checks import rows
from tests.support.checks import update
from tests.support.flow import Flow
from tests.support.flow import csrf_token
from tests.support.receiver import Receiver
from tests.support.settings import test_config as broker_config

EVENT = "http://schemas.openid.net/event/backchannel-logout"


def logged_in(browser, app, receiver):
    """A service with a back-channel; returns it, the raw ID token and the token's claims."""
    rp = register(app, backchannel_logout_uri=receiver.url)
    tokens = Flow(browser, rp).code_flow()
    jwks = KeySet.import_key_set(browser.get("/jwks.json").get_json())
    claims = dict(jwt.decode(tokens["id_token"], jwks, algorithms=["RS256"]).claims)
    return rp, tokens["id_token"], claims


def log_out_on_my_data(browser) -> None:
    page = browser.get("/account/")
    browser.post("/account/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_logging_out_tells_the_service_with_a_valid_logout_token(browser, app, receiver):
    _, _, id_token = logged_in(browser, app, receiver)
    log_out_on_my_data(browser)
    assert len(receiver.tokens) == 1
    jwks = KeySet.import_key_set(browser.get("/jwks.json").get_json())
    token = jwt.decode(receiver.tokens[0], jwks, algorithms=["RS256"])
    assert token.header["typ"] == "logout+jwt"
    claims = token.claims
    assert claims["iss"] == "http://127.0.0.1:8400"
    assert claims["aud"] == "tax"
    assert claims["sub"] == id_token["sub"]
    assert claims["sid"] == id_token["sid"]
    assert claims["events"] == {EVENT: {}}
    assert "nonce" not in claims
    assert [r.delivered_at is not None for r in rows(app, LogoutDelivery)] == [True]


def test_rp_initiated_logout_tells_the_service(browser, app, receiver):
    _, id_token, _ = logged_in(browser, app, receiver)
    response = browser.get("/logout", query_string={"id_token_hint": id_token})
    assert response.status_code == 200
    assert len(receiver.tokens) == 1


def test_another_persons_login_in_the_same_browser_ends_the_old_session_and_says_so(
    browser, app, receiver
):
    rp, _, first = logged_in(browser, app, receiver)
    other = Flow(browser, rp)  # someone else logs in: the first session is replaced
    other.authorize()
    other.login_and_consent(national_id="070770-905D", given_name="Eino")
    assert len(receiver.tokens) == 1  # the replaced session's service was told
    jwks = KeySet.import_key_set(browser.get("/jwks.json").get_json())
    assert jwt.decode(receiver.tokens[0], jwks, algorithms=["RS256"]).claims["sid"] == first["sid"]


def test_a_service_that_is_down_is_told_later_even_after_a_restart(browser, app, database):
    down = Receiver(status=503)
    try:
        logged_in(browser, app, down)
        log_out_on_my_data(browser)
        (delivery,) = rows(app, LogoutDelivery)
        assert delivery.delivered_at is None
        assert delivery.attempts == 1
        assert delivery.last_error == "answered 503"
        assert delivery.next_attempt_at > delivery.created_at  # backing off
        down.status = 200
        update(app, LogoutDelivery, next_attempt_at=0)  # the back-off has passed
        restarted = create_app(broker_config(database))  # a new process sees the same outbox
        with restarted.app_context():
            assert backchannel.deliver_due() == 1
            db.engine.dispose()
        assert len(down.tokens) == 2
        assert rows(app, LogoutDelivery)[0].delivered_at is not None
    finally:
        down.close()


def test_a_delivery_is_not_retried_before_its_time_nor_forever(browser, app, receiver):
    receiver.status = 500
    logged_in(browser, app, receiver)
    log_out_on_my_data(browser)
    with app.app_context():
        assert backchannel.deliver_due() == 0  # backing off: nothing is due yet
    update(app, LogoutDelivery, next_attempt_at=0, attempts=backchannel.MAX_ATTEMPTS)
    with app.app_context():
        assert backchannel.deliver_due() == 0  # given up
    assert len(receiver.tokens) == 1


def test_services_without_a_back_channel_are_not_called(flow, browser, app):
    flow.code_flow()
    log_out_on_my_data(browser)
    assert rows(app, LogoutDelivery) == []
