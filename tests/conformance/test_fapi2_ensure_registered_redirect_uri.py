"""fapi2-security-profile-final-ensure-registered-redirect-uri: unregistered URIs are refused.

RFC 9126 §2.1 and OIDC Core §3.1.2.1: /par validates the request as /authorize would; an
unregistered `redirect_uri` is `invalid_request` as JSON, and nothing is stored.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_unregistered_redirect_uri_is_refused_at_par(fapi, app):
    before = snapshot(app)
    json_error(fapi.push(redirect_uri="https://attacker.example/cb"), 400, "invalid_request")
    assert_unchanged(app, before)
