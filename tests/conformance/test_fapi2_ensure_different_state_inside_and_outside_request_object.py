"""fapi2-security-profile-final-ensure-different-state-inside-and-outside-request-object.

RFC 9101 §5: the object's `state` is the one that counts. For a client that must sign, the
broker refuses any parameter outside the object (FTN: only `client_id` and `request`), so the
request fails as `invalid_request` before anything is stored (deviation: refused, not ignored).
"""

from __future__ import annotations

from .objects import refused


def test_different_state_outside_refuses_the_request(jar, app):
    refused(jar, app, jar.request_object(state="inside"), error="invalid_request", state="outside")
