"""oidcc-prompt-none-not-logged-in: `prompt=none` without a session is `login_required`.

OIDC Core §3.1.2.1 and §3.1.2.6: never a page; the error goes to the redirect URI with `state`
and `iss` (RFC 9207 §2), and nothing is stored.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import redirect_error
from .support import snapshot


def test_prompt_none_without_a_session_is_login_required(flow, rp, app):
    before = snapshot(app)
    response = flow.authorize(prompt="none")
    redirect_error(response, rp.redirect_uri, "login_required", flow.state)
    assert_unchanged(app, before)
