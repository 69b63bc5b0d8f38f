"""fapi2-security-profile-final-par-ensure-jwt-client-assertions-nbf-8-seconds-in-the-future-is-accepted.

FAPI 2.0 §5.3.2.1 item 5: a clock skew of a few seconds is tolerated; an assertion whose `iat`
and `nbf` are 8 seconds ahead is accepted at /par.
"""

from __future__ import annotations

import time


def test_assertion_8_seconds_ahead_is_accepted(fapi):
    ahead = int(time.time()) + 8
    pushed = fapi.push(auth=fapi.client_auth(iat=ahead, nbf=ahead, exp=ahead + 60))
    assert pushed.status_code == 201, pushed.get_json()
