"""fapi2-security-profile-final-par-ensure-pkce-required: a pushed request needs PKCE.

FAPI 2.0 §5.3.2.2 item 8 and RFC 9126 §2.1 (validated as at /authorize): no `code_challenge`
is `invalid_request`, and nothing is stored.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_pushed_request_without_code_challenge_is_refused(fapi, app):
    before = snapshot(app)
    json_error(fapi.push(code_challenge=None, code_challenge_method=None), 400, "invalid_request")
    assert_unchanged(app, before)
