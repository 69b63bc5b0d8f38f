"""oidcc-max-age-1: a session older than `max_age` seconds needs a new login.

OIDC Core §3.1.2.1 (`max_age`: the OP MUST actively re-authenticate) and §2 (`auth_time` is then
REQUIRED in the ID token). With `prompt=none` the same request is `login_required` (§3.1.2.6).
"""

from __future__ import annotations

from .logins import age_session
from .logins import asks_for_login
from .logins import first_login
from .logins import second_id_token
from .support import assert_unchanged
from .support import redirect_error
from .support import snapshot


def test_max_age_1_asks_for_a_new_login(flow, app):
    first = first_login(flow)
    age_session(app, 5)
    flow.authorize(max_age="1")
    assert asks_for_login(flow)
    second = second_id_token(flow, max_age=1)
    assert second["auth_time"] >= first["auth_time"]  # the new login, not the aged session
    assert second["sub"] == first["sub"]


def test_max_age_1_with_prompt_none_is_login_required(flow, rp, app):
    first_login(flow)
    age_session(app, 5)
    before = snapshot(app)
    response = flow.authorize(max_age="1", prompt="none")
    redirect_error(response, rp.redirect_uri, "login_required", flow.state)
    assert_unchanged(app, before)
