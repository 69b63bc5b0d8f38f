"""fapi2-security-profile-final-par-plain-pkce-rejected: only S256.

FAPI 2.0 §5.3.2.2 item 8 and RFC 9700 §2.1.1: `code_challenge_method=plain` (or none given)
is `invalid_request` at /par, and nothing is stored.
"""

from __future__ import annotations

import pytest

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


@pytest.mark.parametrize("method", ["plain", None], ids=["plain", "absent"])
def test_plain_pkce_is_refused(fapi, app, method):
    before = snapshot(app)
    json_error(fapi.push(code_challenge_method=method), 400, "invalid_request")
    assert_unchanged(app, before)
