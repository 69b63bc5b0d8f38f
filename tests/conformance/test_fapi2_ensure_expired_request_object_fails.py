"""fapi2-security-profile-final-ensure-expired-request-object-fails.

RFC 9101 §10.2 and RFC 7519 §4.1.4: an object past its `exp` is `invalid_request_object`.
"""

from __future__ import annotations

import time

from .objects import refused


def test_expired_object_is_refused(jar, app):
    now = int(time.time())
    refused(jar, app, jar.request_object(iat=now - 600, nbf=now - 600, exp=now - 300))
