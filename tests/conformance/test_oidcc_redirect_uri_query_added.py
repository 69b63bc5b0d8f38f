"""oidcc-redirect-uri-query-added: a query added to a registered redirect URI is refused.

OIDC Core §3.1.2.1: exact string match; the citizen sees a page, the service hears nothing.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import page_error
from .support import snapshot


def test_added_query_is_an_error_page(flow, rp, app):
    before = snapshot(app)
    page_error(flow.authorize(redirect_uri=rp.redirect_uri + "?foo=bar"), "invalid_request")
    assert_unchanged(app, before)
