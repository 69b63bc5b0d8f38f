"""oidcc-ensure-request-without-nonce-succeeds-for-code-flow: a deliberate deviation.

OIDC Core §3.1.2.1 makes `nonce` optional in the code flow. The broker requires it, as the
Finnish Trust Network profile does (docs/relying-party-guide.md, "Before you start"): a request
without one is refused as `invalid_request` at the client's redirect URI, with `state` and
`iss`, and nothing is stored.
"""

from __future__ import annotations

import pytest

from .support import assert_unchanged
from .support import redirect_error
from .support import snapshot


@pytest.mark.parametrize("nonce", [None, ""], ids=["absent", "empty"])
def test_request_without_nonce_is_refused_as_invalid_request(flow, rp, app, nonce):
    before = snapshot(app)
    response = flow.authorize(nonce=nonce)
    redirect_error(response, rp.redirect_uri, "invalid_request", flow.state)
    assert_unchanged(app, before)


def test_with_a_live_session_no_code_is_issued_either(flow, rp, app):
    flow.code_flow()
    before = snapshot(app)
    response = flow.authorize(nonce=None)
    redirect_error(response, rp.redirect_uri, "invalid_request", flow.state)
    assert_unchanged(app, before)
