"""oidcc-scope-all: `openid profile email address phone` releases what the broker supports.

OIDC Core §5.4: the OP returns the claims it has for the scopes it supports. Only `profile` is
among the broker's `scopes_supported`; the others are dropped from the issued scope.
"""

from __future__ import annotations

from .scopes import PROFILE
from .scopes import released
from .scopes import scopes_supported


def test_all_scopes_release_the_profile_claims_only(flow, browser):
    assert {"email", "address", "phone"}.isdisjoint(scopes_supported(browser))
    tokens, claims, info = released(flow, browser, "openid profile email address phone")
    assert set(tokens["scope"].split()) == {"openid", "profile"}
    assert set(info) == PROFILE | {"sub"}
    assert not {"email", "address", "phone_number"} & set(claims)
