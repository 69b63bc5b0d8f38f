"""fapi2-security-profile-final-ensure-other-scope-order-succeeds: scope order does not matter.

RFC 6749 §3.3: scope strings are order insensitive.
"""

from __future__ import annotations


def test_reversed_scope_order_succeeds(fapi):
    _, tokens = fapi.complete(scope="profile openid")
    assert set(tokens["scope"].split()) == {"openid", "profile"}
