"""oidcc-login-hint: `login_hint` is accepted and the login completes.

OIDC Core §3.1.2.1: a hint the OP MAY use. Citizens identify themselves at their bank or with
their card, never by typing an identifier at the broker, so the hint has nothing to prefill.
"""

from __future__ import annotations

from .logins import second_id_token


def test_login_hint_is_accepted(flow):
    response = flow.authorize(login_hint="aino.virtanen@example.fi")
    assert response.status_code == 303
    second_id_token(flow)
