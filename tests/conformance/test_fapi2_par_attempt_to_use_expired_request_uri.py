"""fapi2-security-profile-final-par-attempt-to-use-expired-request_uri.

RFC 9126 §2.2: `expires_in` is short (60 s here); after it, the `request_uri` is
`invalid_request_uri` and nothing is stored.
"""

from __future__ import annotations

from idp.storage.models import PushedRequest
from idp.storage.models import now
from tests.support.checks import update

from .support import assert_unchanged
from .support import page_error
from .support import snapshot


def test_expired_request_uri_is_refused(fapi, app):
    pushed = fapi.push().get_json()
    assert 0 < pushed["expires_in"] <= 60
    update(app, PushedRequest, expires_at=now() - 1)
    before = snapshot(app)
    page_error(fapi.open(pushed["request_uri"]), "invalid_request_uri")
    assert_unchanged(app, before)
