"""`id_token_hint` at the authorization endpoint (OIDC Core §3.1.2.1)."""

from __future__ import annotations

import pytest

from idp.storage.models import Interaction
from tests.conftest import register
from tests.support.checks import count
from tests.support.flow import Flow
from tests.support.flow import query


def hint_after_login(flow: Flow, **person) -> str:
    flow.authorize()
    flow.login_and_consent(remember=True, **person)
    callback = query(flow.last)
    return flow.exchange_code(callback["code"]).get_json()["id_token"]


def test_a_hint_naming_the_logged_in_citizen_gives_a_code_without_asking(flow):
    hint = hint_after_login(flow)
    response = flow.authorize(prompt="none", id_token_hint=hint)
    assert response.status_code == 302
    assert "code" in query(response)


def test_a_hint_naming_someone_else_asks_for_a_login(flow, browser, rp):
    other = Flow(browser.application.test_client(), rp)
    hint = hint_after_login(other, national_id="070770-905D", given_name="Mikko")
    hint_after_login(flow)  # this browser is Aino's
    response = flow.authorize(prompt="none", id_token_hint=hint)
    assert query(response)["error"] == "login_required"
    page = flow.authorize(id_token_hint=hint)
    assert page.status_code == 303  # to the method choice
    assert flow.method_choice().status_code == 200


@pytest.mark.parametrize("hint", ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_a_hint_that_is_not_our_id_token_is_invalid_request(flow, app, hint):
    response = flow.authorize(id_token_hint=hint)
    assert response.status_code == 302
    assert query(response)["error"] == "invalid_request"
    assert count(app, Interaction) == 0


def test_a_hint_issued_to_another_client_is_invalid_request(flow, browser, app):
    library = register(
        app, client_id="library", name="Library", redirect_uris=["https://library.example/cb"]
    )
    elsewhere = Flow(browser, library)
    hint = hint_after_login(elsewhere)
    response = flow.authorize(id_token_hint=hint)
    assert query(response)["error"] == "invalid_request"
    assert "not issued to this client" in query(response)["error_description"]
