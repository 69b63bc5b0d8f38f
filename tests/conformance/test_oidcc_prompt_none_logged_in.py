"""oidcc-prompt-none-logged-in: `prompt=none` with a session and consent returns a code at once.

OIDC Core §3.1.2.1: no page is shown; the ID token names the same citizen and the original
login's `auth_time`.
"""

from __future__ import annotations

from .logins import first_login
from .logins import second_id_token
from .support import callback
from .support import redirect_error


def test_prompt_none_with_a_session_answers_without_a_page(flow):
    first = first_login(flow)
    response = flow.authorize(prompt="none")
    callback(response, flow.state)
    second = second_id_token(flow)
    assert second["sub"] == first["sub"]
    assert second["auth_time"] == first["auth_time"]
    assert second["sid"] == first["sid"]


def test_prompt_none_without_remembered_consent_is_consent_required(flow, rp):
    first_login(flow, remember=False)
    response = flow.authorize(prompt="none")
    redirect_error(response, rp.redirect_uri, "consent_required", flow.state)
