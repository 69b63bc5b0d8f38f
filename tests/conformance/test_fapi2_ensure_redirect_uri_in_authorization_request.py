"""fapi2-security-profile-final-ensure-redirect-uri-in-authorization-request.

OIDC Core §3.1.2.1: `redirect_uri` is required in every request, pushed ones included;
/par answers `invalid_request` and stores nothing.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_pushed_request_without_redirect_uri_is_refused(fapi, app):
    before = snapshot(app)
    json_error(fapi.push(redirect_uri=None), 400, "invalid_request")
    assert_unchanged(app, before)
