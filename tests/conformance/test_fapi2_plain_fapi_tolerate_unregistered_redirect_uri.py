"""fapi2-security-profile-final-plain-fapi-tolerate-unregistered-redirect-uri: a deviation.

FAPI 2.0 §5.3.2.2 lets an authorization server accept an unregistered `redirect_uri` pushed by
an authenticated client (RFC 9126 §2.4). The broker never does: every redirect URI matches a
registered one exactly (ARCHITECTURE §6), so /par refuses it and stores nothing.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_unregistered_redirect_uri_is_refused_even_when_pushed(fapi, app):
    before = snapshot(app)
    json_error(fapi.push(redirect_uri="https://fapi.example/other"), 400, "invalid_request")
    assert_unchanged(app, before)
