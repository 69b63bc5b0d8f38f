"""The nonce: required, echoed in the ID token, never accepted twice from one client.

OIDC Core §3.1.2.1 makes ``nonce`` optional in the code flow; this broker requires it
(``OpenIDCode(require_nonce=True)``), so a request without one is refused as
``invalid_request`` at the client's redirect URI. §3.1.3.7 item 11 and §2: the ID token
carries the nonce unchanged. §15.5.2: a nonce seen before from the same client is a replay.
"""

from __future__ import annotations

import pytest

from idp.storage.models import AuthorizationCode
from idp.storage.models import Interaction
from tests.conftest import register
from tests.integration.test_code_flow import verify_id_token
from tests.support.checks import count
from tests.support.flow import Flow
from tests.support.flow import query

ISSUER = "http://127.0.0.1:8400"


@pytest.mark.parametrize("nonce", [None, ""], ids=["missing", "empty"])
def test_missing_nonce_is_invalid_request_via_redirect(flow, app, nonce):
    response = flow.authorize(nonce=nonce)
    assert response.status_code == 302
    answer = query(response)
    assert answer["error"] == "invalid_request"
    assert answer["state"] == flow.state
    assert answer["iss"] == ISSUER
    assert count(app, Interaction) == 0
    assert count(app, AuthorizationCode) == 0


def test_nonce_is_echoed_in_the_id_token(flow, browser, rp):
    tokens = flow.code_flow(nonce="n-0S6_WzA2Mj")
    assert verify_id_token(browser, rp, tokens["id_token"])["nonce"] == "n-0S6_WzA2Mj"


def test_nonce_reused_by_the_same_client_is_invalid_request(flow, app):
    flow.code_flow(nonce="once-only")
    response = flow.authorize(nonce="once-only")
    assert response.status_code == 302
    answer = query(response)
    assert answer["error"] == "invalid_request"
    assert answer["state"] == flow.state
    assert count(app, AuthorizationCode) == 1  # the first login's only
    assert count(app, Interaction) == 1


def test_nonce_reused_within_a_fresh_browser_is_still_refused(flow, app, clean):
    flow.code_flow(nonce="once-only")
    stranger = Flow(clean.test_client(), flow.rp)
    response = stranger.authorize(nonce="once-only")
    assert query(response)["error"] == "invalid_request"
    assert count(app, Interaction) == 1


def test_same_nonce_from_another_client_is_accepted(flow, browser, app):
    flow.code_flow(nonce="shared-nonce")
    pension = register(
        app, client_id="pension", name="Pension", redirect_uris=["https://pension.example/cb"]
    )
    other = Flow(browser, pension)
    tokens = other.code_flow(nonce="shared-nonce")
    assert verify_id_token(browser, pension, tokens["id_token"])["nonce"] == "shared-nonce"
