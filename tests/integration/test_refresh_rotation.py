"""Refresh-token families: rotation, reuse detection, a grace for lost responses.

RFC 9700 §4.14.2.
"""

from __future__ import annotations

import pytest

from idp.storage.models import Token
from tests.conftest import register
from tests.support.checks import bearer
from tests.support.checks import rows
from tests.support.checks import update


def refresh(browser, rp, token: str):
    return browser.post(
        "/token", auth=rp.auth, data={"grant_type": "refresh_token", "refresh_token": token}
    )


def age_rotation(app, seconds: int) -> None:
    """Pretend every rotation happened ``seconds`` ago."""
    update(app, Token, Token.rotated_at.is_not(None), rotated_at=Token.rotated_at - seconds)


@pytest.fixture
def family(flow, browser, rp):
    first = flow.code_flow()
    second = refresh(browser, rp, first["refresh_token"]).get_json()
    return first, second


def test_each_refresh_continues_the_family_and_its_absolute_expiry(family, app):
    tokens = rows(app, Token)
    assert len({t.family_id for t in tokens}) == 1
    assert len({t.refresh_expires_at for t in tokens}) == 1  # rotation never extends the login
    assert [t.rotated_at is not None for t in tokens] == [True, False]


def test_reuse_after_the_grace_revokes_the_whole_family(family, browser, rp, app):
    first, second = family
    age_rotation(app, 60)
    response = refresh(browser, rp, first["refresh_token"])
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert all(t.revoked_at is not None for t in rows(app, Token))
    assert browser.get("/userinfo", headers=bearer(second["access_token"])).status_code == 401
    assert refresh(browser, rp, second["refresh_token"]).status_code == 400


def test_reuse_within_the_grace_answers_once_more_and_withdraws_the_lost_successor(
    family, browser, rp, app
):
    first, lost = family
    retry = refresh(browser, rp, first["refresh_token"])
    assert retry.status_code == 200
    fresh = retry.get_json()
    assert browser.get("/userinfo", headers=bearer(lost["access_token"])).status_code == 401
    assert browser.get("/userinfo", headers=bearer(fresh["access_token"])).status_code == 200
    assert refresh(browser, rp, fresh["refresh_token"]).status_code == 200
    assert len({t.family_id for t in rows(app, Token)}) == 1


def test_a_second_retry_within_the_grace_is_a_replay(family, browser, rp, app):
    first, _ = family
    assert refresh(browser, rp, first["refresh_token"]).status_code == 200
    age_rotation(app, 60)
    assert refresh(browser, rp, first["refresh_token"]).status_code == 400
    assert all(t.revoked_at is not None for t in rows(app, Token))


def test_another_clients_replay_revokes_nothing(family, browser, app):
    first, second = family
    other = register(
        app, client_id="library", name="Library", redirect_uris=["https://library.example/cb"]
    )
    age_rotation(app, 60)
    assert refresh(browser, other, first["refresh_token"]).status_code == 400
    assert browser.get("/userinfo", headers=bearer(second["access_token"])).status_code == 200


def test_a_revoked_refresh_token_is_refused(family, browser, rp):
    _, second = family
    browser.post("/revoke", auth=rp.auth, data={"token": second["refresh_token"]})
    assert refresh(browser, rp, second["refresh_token"]).status_code == 400
