"""oidcc-rp-initiated-logout: with a valid hint, the session ends and the browser goes back.

RP-Initiated Logout 1.0 §2 (`id_token_hint`, `post_logout_redirect_uri`, `state`) and §3 (the
OP redirects to the registered URI, with `state` as given); afterwards `prompt=none` finds no
session (`login_required`).
"""

from __future__ import annotations

from .logouts import LOGGED_OUT
from .logouts import live_sessions
from .logouts import logged_in
from .support import params
from .support import redirect_error


def test_logout_ends_the_session_and_redirects_with_state(flow, browser, rp, app):
    tokens = logged_in(flow)
    response = browser.get(
        "/logout",
        query_string={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": LOGGED_OUT,
            "state": "logout-state-1",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(LOGGED_OUT + "?")
    assert params(response) == {"state": "logout-state-1"}
    assert live_sessions(app) == 0
    redirect_error(flow.authorize(prompt="none"), rp.redirect_uri, "login_required", flow.state)
