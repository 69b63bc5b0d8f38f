"""oidcc-refresh-token: refresh tokens work for their client only.

RFC 6749 §6 (the refresh request; the new access token works), §10.4 and §5.2 (a refresh token
is bound to its client: another client's use is `invalid_grant`), Appendix A.17 (its
characters), OIDC Core §12.2 (no ID token is required in the answer; none is sent here).
"""

from __future__ import annotations

import re

from idp.storage.models import Token
from tests.conftest import register
from tests.support.checks import bearer
from tests.support.checks import count

from .support import json_error


def refresh(browser, rp, token: str):
    data = {"grant_type": "refresh_token", "refresh_token": token}
    return browser.post("/token", data=data, auth=rp.auth)


def test_refresh_issues_a_working_access_token(flow, browser, rp):
    metadata = browser.get("/.well-known/openid-configuration").get_json()
    assert "refresh_token" in metadata["grant_types_supported"]
    tokens = flow.code_flow()
    assert re.fullmatch(r"[\x20-\x7e]+", tokens["refresh_token"])  # VSCHAR
    response = refresh(browser, rp, tokens["refresh_token"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    renewed = response.get_json()
    assert renewed["token_type"] == "Bearer"
    assert renewed["access_token"] != tokens["access_token"]
    assert "id_token" not in renewed
    info = browser.get("/userinfo", headers=bearer(renewed["access_token"]))
    assert info.status_code == 200


def test_another_clients_refresh_token_is_invalid_grant(flow, browser, app):
    tokens = flow.code_flow()
    other = register(
        app, client_id="library", name="Library", redirect_uris=["https://library.example/cb"]
    )
    issued = count(app, Token)
    json_error(refresh(browser, other, tokens["refresh_token"]), 400, "invalid_grant")
    assert count(app, Token) == issued
    assert count(app, Token, Token.revoked_at.is_not(None)) == 0  # nor does it revoke anything
