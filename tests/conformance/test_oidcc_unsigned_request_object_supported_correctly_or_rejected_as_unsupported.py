"""oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported.

OIDC Core §6.1 allows `alg: none` request objects; the module is skipped when discovery does
not list `none`. The broker does not list it and refuses such an object (RFC 9101 §10 and the
FTN profile: signed objects only) as `invalid_request_object`, shown to the citizen because
the redirect URI inside is not trusted, and stores nothing.
"""

from __future__ import annotations

import pytest

from .fapi import unsigned
from .support import assert_unchanged
from .support import page_error
from .support import snapshot


def test_none_is_not_offered(browser):
    metadata = browser.get("/.well-known/openid-configuration").get_json()
    assert "none" not in metadata["request_object_signing_alg_values_supported"]


@pytest.mark.parametrize("client", ["rp", "signer"], ids=["secret-client", "key-client"])
def test_unsigned_request_object_is_refused(flow, signer, app, client):
    rp = flow.rp if client == "rp" else signer.rp
    claims = dict(
        response_type="code",
        client_id=rp.client_id,
        redirect_uri=rp.redirect_uri,
        scope="openid",
        nonce="n-unsigned",
        state="s-unsigned",
        code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method="S256",
    )
    before = snapshot(app)
    response = flow.browser.get(
        "/authorize",
        query_string={
            "client_id": rp.client_id,
            "response_type": "code",
            "scope": "openid",
            "request": unsigned(claims),
        },
    )
    page_error(response, "invalid_request_object")
    assert_unchanged(app, before)
