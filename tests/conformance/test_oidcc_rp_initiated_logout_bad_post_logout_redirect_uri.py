"""oidcc-rp-initiated-logout-bad-post-logout-redirect-uri: never redirected to an unregistered URI.

RP-Initiated Logout 1.0 §3: the URI must exactly match a registered one, or the OP MUST NOT
redirect. With a valid hint the broker still ends the session and says so on its own page
(docs/relying-party-guide.md, "Logout").
"""

from __future__ import annotations

from .logouts import live_sessions
from .logouts import logged_in
from .logouts import no_redirect


def test_unregistered_uri_is_not_redirected_to(flow, browser, app):
    tokens = logged_in(flow)
    response = browser.get(
        "/logout",
        query_string={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "https://attacker.example/logged-out",
            "state": "s",
        },
    )
    page = no_redirect(response)
    assert 'href="https://attacker.example' not in page  # no link there either
    assert 'action="https://attacker.example' not in page
    assert live_sessions(app) == 0
