"""oidcc-rp-initiated-logout-no-params: a bare logout request asks, then logs out.

RP-Initiated Logout 1.0 §2: every parameter is optional; §6: without a hint the OP confirms
with the End-User. The confirmation is a CSRF-protected POST.
"""

from __future__ import annotations

from tests.support.flow import csrf_token

from .logouts import live_sessions
from .logouts import logged_in
from .logouts import no_redirect


def test_bare_logout_asks_then_ends_the_session(flow, browser, app):
    logged_in(flow)
    page = no_redirect(browser.get("/logout"))
    assert live_sessions(app) == 1
    no_redirect(browser.post("/logout/confirm", data={"csrf_token": csrf_token(page)}))
    assert live_sessions(app) == 0
