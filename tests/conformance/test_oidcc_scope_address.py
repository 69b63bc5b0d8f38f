"""oidcc-scope-address: the broker does not hold `address` data, and says so.

OIDC Core §5.4 lets an OP leave out claims it does not have; the module is skipped when
`scopes_supported` does not list the scope. The broker does not list it; a request naming it
still succeeds, the scope is dropped from the grant (RFC 6749 §3.3: the issued scope is
returned), and no `address` claim is released anywhere.
"""

from __future__ import annotations

from .scopes import released
from .scopes import scopes_supported

CLAIMS = {"address"}


def test_address_scope_is_not_offered(browser):
    assert "address" not in scopes_supported(browser)


def test_address_scope_is_dropped_and_releases_nothing(flow, browser):
    tokens, claims, info = released(flow, browser, "openid address")
    assert tokens["scope"] == "openid"
    assert not CLAIMS & set(claims)
    assert set(info) == {"sub"}
