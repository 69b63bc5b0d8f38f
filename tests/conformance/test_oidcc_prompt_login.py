"""oidcc-prompt-login: `prompt=login` makes a citizen with a live session log in again.

OIDC Core §3.1.2.1: "The Authorization Server SHOULD prompt the End-User for reauthentication";
the second ID token's `auth_time` is the new login's (§2).
"""

from __future__ import annotations

from .logins import age_session
from .logins import asks_for_login
from .logins import first_login
from .logins import second_id_token


def test_prompt_login_asks_again_and_reports_the_new_auth_time(flow, app):
    first = first_login(flow)
    age_session(app, 30)
    flow.authorize(prompt="login")
    assert asks_for_login(flow)
    second = second_id_token(flow)
    assert second["auth_time"] >= first["auth_time"]  # the new login, not the aged session
    assert second["sub"] == first["sub"]
