"""fapi2-security-profile-final-par-ensure-reused-request-uri-prior-to-auth-completion-succeeds.

FAPI 2.0 §5.3.2.2 note 3 recommends spending a `request_uri` when the authorization completes,
so a reloaded /authorize still works. The broker spends it at the first visit (RFC 9126 §7.3:
one-time use), a deliberate deviation: the second visit is `invalid_request_uri`, while the
interaction the first visit started can itself be reloaded and completes.
"""

from __future__ import annotations

from .support import callback
from .support import page_error


def test_second_visit_is_refused_but_the_first_login_completes(fapi):
    pushed = fapi.push()
    request_uri = pushed.get_json()["request_uri"]
    first = fapi.open(request_uri)
    interaction = fapi.interaction
    assert first.status_code == 303
    page_error(fapi.open(request_uri), "invalid_request_uri")
    fapi.interaction = interaction
    assert fapi.method_choice().status_code == 200  # reloading the login page is fine
    fapi.login_and_consent()
    assert fapi.redeem(callback(fapi.last, fapi.state)["code"]).status_code == 200
