"""oidcc-rp-initiated-logout-no-post-logout-redirect-uri: a hint alone logs out, on a page.

RP-Initiated Logout 1.0 §2–3: without `post_logout_redirect_uri` there is nowhere to go back
to; the OP ends the session and shows that it did.
"""

from __future__ import annotations

from .logouts import live_sessions
from .logouts import logged_in
from .logouts import no_redirect


def test_hint_without_uri_logs_out_without_redirecting(flow, browser, app):
    tokens = logged_in(flow)
    response = browser.get("/logout", query_string={"id_token_hint": tokens["id_token"]})
    no_redirect(response)
    assert live_sessions(app) == 0
