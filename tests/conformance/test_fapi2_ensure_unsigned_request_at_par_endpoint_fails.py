"""fapi2-security-profile-final-ensure-unsigned-request-at-par-endpoint-fails.

FAPI 2.0 Message Signing §5.3.1: a client that must sign cannot push plain parameters;
/par answers `invalid_request` and stores nothing.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_plain_parameters_from_a_signing_client_are_refused(jar, app):
    before = snapshot(app)
    json_error(jar.push(), 400, "invalid_request")
    assert_unchanged(app, before)
