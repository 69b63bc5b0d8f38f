"""oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri: exact match, query included.

RP-Initiated Logout 1.0 §3: the `post_logout_redirect_uri` must exactly match a registered
value; a registered URI with a query added is not one, so there is no redirect.
"""

from __future__ import annotations

from .logouts import LOGGED_OUT
from .logouts import live_sessions
from .logouts import logged_in
from .logouts import no_redirect


def test_added_query_is_not_redirected_to(flow, browser, app):
    tokens = logged_in(flow)
    response = browser.get(
        "/logout",
        query_string={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": LOGGED_OUT + "?foo=bar",
        },
    )
    no_redirect(response)
    assert live_sessions(app) == 0  # the hint was valid: the logout itself happens
