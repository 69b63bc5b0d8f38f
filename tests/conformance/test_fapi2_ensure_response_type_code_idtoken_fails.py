"""fapi2-security-profile-final-ensure-response-type-code-idtoken-fails.

FAPI 2.0 §5.3.2.2 item 1: only `response_type=code`. /par answers
`unsupported_response_type` (RFC 6749 §4.1.2.1) and stores nothing.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_response_type_is_refused(fapi, app):
    before = snapshot(app)
    json_error(fapi.push(response_type="code id_token"), 400, "unsupported_response_type")
    assert_unchanged(app, before)
