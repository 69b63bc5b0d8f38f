"""oidcc-rp-initiated-logout-only-state: `state` alone logs out after confirmation, no redirect.

RP-Initiated Logout 1.0 §2–3: `state` means nothing without a URI to return to; §6: no hint,
so the citizen confirms; then the "logged out" page.
"""

from __future__ import annotations

from tests.support.flow import csrf_token

from .logouts import live_sessions
from .logouts import logged_in
from .logouts import no_redirect


def test_only_state_logs_out_on_a_page(flow, browser, app):
    logged_in(flow)
    page = no_redirect(browser.get("/logout", query_string={"state": "only"}))
    no_redirect(
        browser.post("/logout/confirm", data={"state": "only", "csrf_token": csrf_token(page)})
    )
    assert live_sessions(app) == 0
