"""fapi2-security-profile-final-refresh-token: refresh with rotation, bound to the client.

RFC 6749 §6 (refresh with the client's own authentication), RFC 9700 §4.14.2 (rotation: a new
refresh token each time; a consumed one replayed after the grace revokes the family), §10.4
(another client's use is `invalid_grant`).
"""

from __future__ import annotations

from idp.storage.models import Token
from tests.support.checks import bearer
from tests.support.checks import count
from tests.support.checks import update

from .support import json_error


def refresh(fapi, token: str, auth: dict | None = None):
    data = {"grant_type": "refresh_token", "refresh_token": token}
    return fapi.browser.post("/token", data={**data, **(auth or fapi.client_auth())})


def test_refresh_rotates_and_a_late_replay_revokes_the_family(fapi, browser, app):
    _, first = fapi.complete()
    second = refresh(fapi, first["refresh_token"])
    assert second.status_code == 200
    renewed = second.get_json()
    assert renewed["refresh_token"] != first["refresh_token"]
    assert browser.get("/userinfo", headers=bearer(renewed["access_token"])).status_code == 200
    update(app, Token, Token.rotated_at.is_not(None), rotated_at=Token.rotated_at - 60)
    json_error(refresh(fapi, first["refresh_token"]), 400, "invalid_grant")
    assert count(app, Token, Token.revoked_at.is_(None)) == 0
    assert browser.get("/userinfo", headers=bearer(renewed["access_token"])).status_code == 401


def test_refresh_token_with_another_clients_assertion_is_refused(fapi, signer, app):
    _, first = fapi.complete()
    issued = count(app, Token)
    response = refresh(fapi, first["refresh_token"], auth=signer.client_auth())
    json_error(response, 400, "invalid_grant")
    assert count(app, Token) == issued
