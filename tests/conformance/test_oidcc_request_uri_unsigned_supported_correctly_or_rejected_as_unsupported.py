"""oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported.

OIDC Core §6.2 lets a client pass its request object by reference; §3.1.2.6 names the error of
an OP that does not fetch it: `request_uri_not_supported`. The broker never fetches a
`request_uri` (discovery: `request_uri_parameter_supported` false; only its own /par URNs are
redeemed), so the URL is not even contacted; the request's redirect URI is inside the object,
never trusted, so the citizen sees a page and nothing is stored.
"""

from __future__ import annotations

from .fapi import unsigned
from .support import assert_unchanged
from .support import page_error
from .support import snapshot


def test_discovery_says_request_uri_is_not_fetched(browser):
    metadata = browser.get("/.well-known/openid-configuration").get_json()
    assert metadata["request_uri_parameter_supported"] is False
    assert "none" not in metadata["request_object_signing_alg_values_supported"]


def test_request_uri_by_reference_is_refused_without_fetching_it(flow, rp, app, receiver):
    receiver.body = unsigned({"client_id": rp.client_id, "redirect_uri": rp.redirect_uri})
    before = snapshot(app)
    response = flow.browser.get(
        "/authorize",
        query_string={
            "client_id": rp.client_id,
            "response_type": "code",
            "scope": "openid",
            "request_uri": receiver.url + "/request.jwt",
        },
    )
    page_error(response, "request_uri_not_supported")
    assert receiver.requests == []
    assert_unchanged(app, before)
