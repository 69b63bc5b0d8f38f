"""oidcc-redirect-uri-query-mismatch: a different query than the registered one is refused.

OIDC Core §3.1.2.1: exact string match, query included.
"""

from __future__ import annotations

import pytest

from .redirects import query_flow
from .support import assert_unchanged
from .support import page_error
from .support import snapshot


@pytest.mark.parametrize(
    "sent",
    [
        "https://tax.example/callback?service=pension",
        "https://tax.example/callback",
        "https://tax.example/callback?service=tax&x=1",
    ],
    ids=["other-value", "dropped", "extended"],
)
def test_mismatched_query_is_an_error_page(browser, app, sent):
    flow = query_flow(browser, app)
    before = snapshot(app)
    page_error(flow.authorize(redirect_uri=sent), "invalid_request")
    assert_unchanged(app, before)
