"""fapi2-security-profile-final-par-attempt-invalid-http-method: /par takes POST only.

RFC 9126 §2: "The client ... uses the HTTP POST method"; GET is 405 and stores nothing.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import snapshot


def test_get_at_par_is_method_not_allowed(fapi, browser, app):
    before = snapshot(app)
    response = browser.get("/par", query_string={**fapi.request_params(), **fapi.client_auth()})
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert_unchanged(app, before)
