"""oidcc-backchannel-logout-discovery-endpoint-verification: back-channel support is published.

Back-Channel Logout 1.0 §2.1: `backchannel_logout_supported`, and
`backchannel_logout_session_supported` because every logout token carries `sid`.
"""

from __future__ import annotations


def test_backchannel_support_is_published(browser):
    found = browser.get("/.well-known/openid-configuration").get_json()
    assert found["backchannel_logout_supported"] is True
    assert found["backchannel_logout_session_supported"] is True
    assert "frontchannel_logout_supported" not in found  # not offered, so not advertised
