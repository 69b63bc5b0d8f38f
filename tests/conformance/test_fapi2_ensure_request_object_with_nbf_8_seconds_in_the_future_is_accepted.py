"""fapi2-security-profile-final-ensure-request-object-with-nbf-8-seconds-in-the-future-is-accepted.

FAPI 2.0 Security Profile §5.3.2.1 item 5 (a small clock skew is tolerated): an object whose
`nbf` is 8 seconds ahead is accepted, and its login completes.
"""

from __future__ import annotations

import time

from .objects import accepted
from .support import validate_id_token


def test_object_valid_8_seconds_from_now_is_accepted(jar, browser):
    now = int(time.time())
    tokens = accepted(jar, jar.request_object(nbf=now + 8, iat=now + 8))
    validate_id_token(browser, tokens["id_token"], jar.rp.client_id, jar.nonce)
