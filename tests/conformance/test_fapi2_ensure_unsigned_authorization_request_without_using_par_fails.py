"""fapi2-security-profile-final-ensure-unsigned-authorization-request-without-using-par-fails.

FAPI 2.0 §5.3.2.2 item 2: only pushed requests. A client registered with
`require_pushed_authorization_requests` that goes to /authorize directly is refused; its
redirect URI is not trusted yet, so the citizen sees a page, and nothing is stored.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import page_error
from .support import snapshot


def test_front_channel_request_is_refused(fapi, browser, app):
    before = snapshot(app)
    response = browser.get("/authorize", query_string=fapi.request_params())
    page_error(response, "invalid_request")
    assert_unchanged(app, before)
