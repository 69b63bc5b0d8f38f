"""oidcc-response-type-missing: a request without `response_type` is refused, never answered.

RFC 6749 §4.1.2.1 and OIDC Core §3.1.2.6: the client's redirect URI is valid, so the error goes
back there, with the `state` and (RFC 9207 §2) the `iss`. The module accepts
`unsupported_response_type` or `invalid_request`; the broker answers the former.
"""

from __future__ import annotations

from .support import assert_unchanged
from .support import redirect_error
from .support import snapshot


def test_missing_response_type_is_redirected_as_unsupported_response_type(flow, rp, app):
    before = snapshot(app)
    response = flow.authorize(response_type=None)
    redirect_error(response, rp.redirect_uri, "unsupported_response_type", flow.state)
    assert_unchanged(app, before)


def test_missing_response_type_with_a_live_session_issues_no_code(flow, rp, app):
    flow.code_flow()
    before = snapshot(app)
    response = flow.authorize(response_type=None)
    redirect_error(response, rp.redirect_uri, "unsupported_response_type", flow.state)
    assert_unchanged(app, before)
