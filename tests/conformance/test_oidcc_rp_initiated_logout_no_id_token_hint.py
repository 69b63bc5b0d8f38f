"""oidcc-rp-initiated-logout-no-id-token-hint: without a hint, ask the citizen; never redirect.

RP-Initiated Logout 1.0 §2 and §6 (without a hint the OP asks the End-User to confirm) and §3
(no redirect without a verified request): a CSRF-protected confirmation, then a page.
"""

from __future__ import annotations

from tests.support.flow import csrf_token

from .logouts import LOGGED_OUT
from .logouts import live_sessions
from .logouts import logged_in
from .logouts import no_redirect


def test_no_hint_asks_then_logs_out_without_redirecting(flow, browser, app):
    logged_in(flow)
    asked = {"client_id": "tax", "post_logout_redirect_uri": LOGGED_OUT, "state": "s"}
    page = no_redirect(browser.get("/logout", query_string=asked))
    assert 'action="/logout/confirm"' in page
    assert live_sessions(app) == 1
    confirmed = browser.post("/logout/confirm", data={**asked, "csrf_token": csrf_token(page)})
    no_redirect(confirmed)
    assert live_sessions(app) == 0
