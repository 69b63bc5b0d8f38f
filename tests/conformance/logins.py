"""Logins the prompt, max_age and hint modules build on: a first login, then a second request."""

from __future__ import annotations

from idp.storage.models import LoginSession
from tests.support.checks import update

from .support import callback
from .support import validate_id_token


def first_login(flow, remember: bool = True) -> dict:
    """A complete login whose consent is remembered; the verified ID token's claims."""
    flow.authorize()
    flow.login_and_consent(remember=remember)
    code = callback(flow.last, flow.state)["code"]
    tokens = flow.exchange_code(code).get_json()
    claims = validate_id_token(
        flow.browser, tokens["id_token"], flow.rp.client_id, flow.nonce, tokens["access_token"]
    )
    return {**claims, "raw": tokens["id_token"]}


def age_session(app, seconds: int) -> None:
    """Pretend the citizen logged in ``seconds`` earlier than they did."""
    update(app, LoginSession, auth_time=LoginSession.auth_time - seconds)


def asks_for_login(flow) -> bool:
    """After an /authorize: the broker shows the method choice, not a code."""
    if flow.interaction is None:
        return False
    page = flow.method_choice()
    return page.status_code == 200 and "/method/dev/" in page.get_data(as_text=True)


def second_id_token(flow, max_age: int | None = None) -> dict:
    """Finish the current request (logging in if asked) and verify the ID token it yields."""
    answer = flow.sign_in()
    assert answer["iss"] == "http://127.0.0.1:8400" and answer["state"] == flow.state
    tokens = flow.exchange_code(answer["code"]).get_json()
    return validate_id_token(
        flow.browser,
        tokens["id_token"],
        flow.rp.client_id,
        flow.nonce,
        tokens["access_token"],
        max_age=max_age,
    )
