"""oidcc-rp-initiated-logout-discovery-endpoint-verification: `end_session_endpoint` is published.

RP-Initiated Logout 1.0 §2.1: the OP's metadata names its `end_session_endpoint`, an https URL
under a production issuer (the demo issuer is loopback http).
"""

from __future__ import annotations

from .support import ISSUER


def test_end_session_endpoint_is_published_and_answers(browser):
    found = browser.get("/.well-known/openid-configuration").get_json()
    assert found["end_session_endpoint"] == ISSUER + "/logout"
    assert browser.get("/logout").status_code == 200  # GET is supported (§2)
