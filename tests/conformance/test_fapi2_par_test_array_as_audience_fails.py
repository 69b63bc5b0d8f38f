"""fapi2-security-profile-final-par-test-array-as-audience-fails.

FAPI 2.0 §5.3.2.1 item 8: the assertion's `aud` is the issuer identifier "as a string"; an
array naming the issuer and another party (the audience-injection pattern) is refused as
`invalid_client` (RFC 6749 §5.2), and nothing is stored.
"""

from __future__ import annotations

from .par_audience import push_with_audience
from .support import ISSUER
from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def test_array_audience_is_refused(fapi, app):
    before = snapshot(app)
    response = push_with_audience(fapi, [ISSUER, "https://other-op.example"])
    json_error(response, (400, 401), "invalid_client")
    assert_unchanged(app, before)
