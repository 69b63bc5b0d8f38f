"""oidcc-rp-initiated-logout-no-state: without `state`, the redirect carries no `state`.

RP-Initiated Logout 1.0 §3: `state` is passed back only when it was sent.
"""

from __future__ import annotations

from .logouts import LOGGED_OUT
from .logouts import live_sessions
from .logouts import logged_in


def test_redirect_without_state(flow, browser, app):
    tokens = logged_in(flow)
    response = browser.get(
        "/logout",
        query_string={"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": LOGGED_OUT},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == LOGGED_OUT
    assert live_sessions(app) == 0
