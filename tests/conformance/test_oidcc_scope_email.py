"""oidcc-scope-email: the broker does not hold `email` data, and says so.

OIDC Core §5.4 lets an OP leave out claims it does not have; the module is skipped when
`scopes_supported` does not list the scope. The broker does not list it; a request naming it
still succeeds, the scope is dropped from the grant (RFC 6749 §3.3: the issued scope is
returned), and no `email` claim is released anywhere.
"""

from __future__ import annotations

from .scopes import released
from .scopes import scopes_supported

CLAIMS = {"email", "email_verified"}


def test_email_scope_is_not_offered(browser):
    assert "email" not in scopes_supported(browser)


def test_email_scope_is_dropped_and_releases_nothing(flow, browser):
    tokens, claims, info = released(flow, browser, "openid email")
    assert tokens["scope"] == "openid"
    assert not CLAIMS & set(claims)
    assert set(info) == {"sub"}
