"""oidcc-rp-initiated-logout-bad-id-token-hint: a hint signed by someone else is refused.

RP-Initiated Logout 1.0 §2: the OP MUST validate that it issued the hint; §4: an error page, no
redirect, and the session stays.
"""

from __future__ import annotations

from joserfc.jwk import RSAKey

from .logouts import LOGGED_OUT
from .logouts import foreign_hint
from .logouts import live_sessions
from .logouts import logged_in
from .support import page_error


def test_foreign_hint_is_an_error_page_and_the_session_stays(flow, browser, app):
    logged_in(flow)
    suite_key = RSAKey.generate_key(2048, parameters={"kid": "suite"}, private=True)
    response = browser.get(
        "/logout",
        query_string={
            "id_token_hint": foreign_hint(suite_key),
            "post_logout_redirect_uri": LOGGED_OUT,
            "state": "s",
        },
    )
    page_error(response, "invalid_request")
    assert live_sessions(app) == 1
