"""fapi2-security-profile-final-ensure-authorization-request-without-nonce-success: a deviation.

FAPI 2.0 lets PKCE stand in for `nonce`. The broker requires `nonce` on every request (FTN
profile, docs/relying-party-guide.md): /par answers `invalid_request` and stores nothing.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_pushed_request_without_nonce_is_invalid_request(fapi, app):
    before = snapshot(app)
    json_error(fapi.push(nonce=None), 400, "invalid_request")
    assert_unchanged(app, before)
