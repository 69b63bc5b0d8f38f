"""oidcc-max-age-10000: a session younger than `max_age` is used without a new login.

OIDC Core §3.1.2.1 and §2: the ID token carries the original login's `auth_time`.
"""

from __future__ import annotations

from .logins import first_login
from .logins import second_id_token
from .support import callback


def test_max_age_10000_reuses_the_session(flow):
    first = first_login(flow)
    response = flow.authorize(max_age="10000")
    callback(response, flow.state)
    second = second_id_token(flow, max_age=10000)
    assert second["auth_time"] == first["auth_time"]
