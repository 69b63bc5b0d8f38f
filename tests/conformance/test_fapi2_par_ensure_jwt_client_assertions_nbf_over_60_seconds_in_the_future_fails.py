"""fapi2-security-profile-final-par-ensure-jwt-client-assertions-nbf-over-60-seconds-in-the-future-fails.

RFC 7519 §4.1.5 and RFC 6749 §5.2: an assertion not valid for another minute and more is
`invalid_client` at /par, and nothing is stored.
"""

from __future__ import annotations

import time

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_assertion_70_seconds_ahead_is_refused(fapi, app):
    ahead = int(time.time()) + 70
    before = snapshot(app)
    response = fapi.push(auth=fapi.client_auth(iat=ahead, nbf=ahead, exp=ahead + 60))
    json_error(response, (400, 401), "invalid_client")
    assert_unchanged(app, before)
