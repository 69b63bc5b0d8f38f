"""oidcc-ensure-registered-redirect-uri: an unregistered redirect URI is never redirected to.

OIDC Core §3.1.2.1 (exact match) and RFC 6749 §4.1.2.1: the OP MUST NOT redirect to an invalid
redirect URI; it informs the citizen (a page with an error id) and stores nothing.
"""

from __future__ import annotations

import pytest

from .support import assert_unchanged
from .support import page_error
from .support import snapshot


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://attacker.example/callback",
        "https://tax.example/callback/",
        "https://tax.example/callback?x=1",
        "https://TAX.example/callback",
        "http://tax.example/callback",
    ],
    ids=["other-host", "trailing-slash", "added-query", "case", "http"],
)
def test_unregistered_redirect_uri_gets_a_page_not_a_redirect(flow, app, redirect_uri):
    before = snapshot(app)
    page_error(flow.authorize(redirect_uri=redirect_uri), "invalid_request")
    assert_unchanged(app, before)


def test_not_even_with_a_live_session(flow, app):
    flow.code_flow()
    before = snapshot(app)
    page_error(flow.authorize(redirect_uri="https://attacker.example/cb"), "invalid_request")
    assert_unchanged(app, before)
