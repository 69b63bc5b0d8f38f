"""oidcc-ensure-other-scope-order-succeeds: `openid` need not come first.

RFC 6749 §3.3: "The strings are order insensitive"; OIDC Core §3.1.2.1 only requires that
`openid` be present.
"""

from __future__ import annotations

from .scopes import PROFILE
from .scopes import released


def test_profile_before_openid_succeeds(flow, browser):
    tokens, _claims, info = released(flow, browser, "profile openid")
    assert set(tokens["scope"].split()) == {"openid", "profile"}
    assert set(info) == PROFILE | {"sub"}
