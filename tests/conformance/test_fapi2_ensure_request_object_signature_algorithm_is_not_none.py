"""fapi2-security-profile-final-ensure-request-object-signature-algorithm-is-not-none.

RFC 9101 §10.2 and FAPI 2.0 §5.4.1: an unsigned (`alg: none`) object is
`invalid_request_object`.
"""

from __future__ import annotations

import time

from .fapi import unsigned
from .objects import refused


def test_unsigned_object_is_refused(jar, app):
    now = int(time.time())
    claims = {
        **jar.request_params(),
        "iss": jar.rp.client_id,
        "aud": "http://127.0.0.1:8400",
        "nbf": now,
        "exp": now + 300,
        "jti": "none-1",
    }
    refused(jar, app, unsigned(claims))
