"""oidcc-ensure-redirect-uri-in-authorization-request: `redirect_uri` is required.

OIDC Core §3.1.2.1: `redirect_uri` is REQUIRED, even for a client with one registered URI.
Without it there is no verified place to send an error, so the citizen sees a page (RFC 6749
§4.1.2.1) and nothing is stored.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import page_error
from .support import snapshot


def test_missing_redirect_uri_is_an_error_page(flow, app):
    before = snapshot(app)
    page_error(flow.authorize(redirect_uri=None), "invalid_request")
    assert_unchanged(app, before)


def test_missing_redirect_uri_issues_no_code_with_a_live_session(flow, app):
    flow.code_flow()
    before = snapshot(app)
    page_error(flow.authorize(redirect_uri=None), "invalid_request")
    assert_unchanged(app, before)
