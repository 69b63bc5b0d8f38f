"""fapi2-security-profile-final-par-authorization-request-containing-request_uri-form-param.

RFC 9126 §2.1: "The request_uri authorization request parameter is one exception, and it MUST
NOT be provided"; /par answers `invalid_request` and stores nothing.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_request_uri_in_a_pushed_request_is_invalid_request(fapi, app):
    before = snapshot(app)
    response = fapi.push(request_uri="urn:ietf:params:oauth:request_uri:abc")
    json_error(response, 400, "invalid_request")
    assert_unchanged(app, before)
