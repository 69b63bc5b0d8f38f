"""fapi2-security-profile-final-ensure-request-object-with-nbf-over-60-fails.

FAPI 2.0 Message Signing §5.3.1 item 3: `nbf` no longer than 60 minutes in the past; an object
made 70 minutes ago is `invalid_request_object` even though its `exp` is still ahead.
"""

from __future__ import annotations

import time

from .objects import refused


def test_object_made_70_minutes_ago_is_refused(jar, app):
    now = int(time.time())
    refused(jar, app, jar.request_object(nbf=now - 4200, iat=now - 4200, exp=now + 300))
