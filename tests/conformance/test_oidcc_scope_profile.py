"""oidcc-scope-profile: `scope=openid profile` releases the profile claims the broker holds.

OIDC Core §5.4: `profile` asks for the default profile claims; the broker holds `given_name`,
`family_name`, `name` and `birthdate` (§5.1, `birthdate` as YYYY-MM-DD) and releases those the
citizen consents to, in the ID token and at userinfo alike.
"""

from __future__ import annotations

import re

from .scopes import PROFILE
from .scopes import released
from .scopes import scopes_supported


def test_profile_scope_releases_the_profile_claims(flow, browser):
    assert "profile" in scopes_supported(browser)
    tokens, claims, info = released(flow, browser, "openid profile")
    assert set(tokens["scope"].split()) == {"openid", "profile"}
    assert set(claims) >= PROFILE
    assert set(info) == PROFILE | {"sub"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["birthdate"])
    assert info["name"] == f"{info['given_name']} {info['family_name']}"
