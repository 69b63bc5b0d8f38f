"""fapi2-security-profile-final-ensure-authorization-request-with-long-state.

A 384-character `state`: returned unchanged (RFC 6749 §4.1.2), or refused cleanly with
`invalid_request`; never truncated, never a server error.
"""

from __future__ import annotations

import secrets

from tests.support.flow import query


def test_384_character_state_is_kept_or_refused_cleanly(fapi):
    state = secrets.token_hex(192)
    pushed = fapi.push(state=state)
    if pushed.status_code == 400:
        assert pushed.get_json()["error"] == "invalid_request"
        return
    assert pushed.status_code == 201
    fapi.open(pushed.get_json()["request_uri"])
    fapi.login_and_consent()
    assert fapi.last.status_code == 302
    assert query(fapi.last)["state"] == state
