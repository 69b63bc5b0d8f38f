"""fapi2-security-profile-final-ensure-different-nonce-inside-and-outside-request-object.

RFC 9101 §5: the object's `nonce` is the one that counts. For a client that must sign, the
broker refuses any parameter outside the object, so the request fails as `invalid_request`
and nothing is stored (deviation: refused, not ignored).
"""

from __future__ import annotations

from .objects import refused


def test_different_nonce_outside_refuses_the_request(jar, app):
    refused(jar, app, jar.request_object(nonce="inside"), error="invalid_request", nonce="outside")
