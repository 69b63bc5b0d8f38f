"""oidcc-display-popup: `display=popup` is accepted and the login completes.

OIDC Core §3.1.2.1: `display` is a hint the OP may ignore. The broker's pages are responsive
and the same in every display, so the hint changes nothing.
"""

from __future__ import annotations

from .support import callback
from .support import validate_id_token


def test_display_popup_is_accepted(flow, browser, rp):
    response = flow.authorize(display="popup")
    assert response.status_code == 303
    page = flow.method_choice()
    assert page.status_code == 200
    flow.login_and_consent()
    code = callback(flow.last, flow.state)["code"]
    tokens = flow.exchange_code(code).get_json()
    validate_id_token(browser, tokens["id_token"], rp.client_id, flow.nonce, tokens["access_token"])
