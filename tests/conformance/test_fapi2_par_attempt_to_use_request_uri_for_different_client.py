"""fapi2-security-profile-final-par-attempt-to-use-request_uri-for-different-client.

RFC 9126 §4 and §7.3: a `request_uri` is bound to the client that pushed it; another client
presenting it gets `invalid_request_uri`, and the request stays unspent for its owner.
"""

from __future__ import annotations

from tests.conftest import register

from .support import assert_unchanged
from .support import page_error
from .support import snapshot


def test_another_clients_request_uri_is_refused(fapi, browser, app):
    request_uri = fapi.push().get_json()["request_uri"]
    register(app, client_id="library", name="Library", redirect_uris=["https://lib.example/cb"])
    before = snapshot(app)
    response = browser.get(
        "/authorize", query_string={"client_id": "library", "request_uri": request_uri}
    )
    page_error(response, "invalid_request_uri")
    assert_unchanged(app, before)
    assert fapi.open(request_uri).status_code == 303  # still its owner's
