"""fapi2-security-profile-final-par-attempt-reuse-request_uri: a `request_uri` works once.

RFC 9126 §7.3 (one-time use) and §2.2: a spent `request_uri` is `invalid_request_uri`. The
redirect URI behind it is no longer vouched for, so the citizen sees a page; nothing is stored.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import page_error
from .support import snapshot


def test_request_uri_used_for_a_completed_login_is_refused(fapi, app):
    pushed = fapi.push()
    request_uri = pushed.get_json()["request_uri"]
    fapi.open(request_uri)
    fapi.login_and_consent()
    before = snapshot(app)
    page_error(fapi.open(request_uri), "invalid_request_uri")
    assert_unchanged(app, before)
