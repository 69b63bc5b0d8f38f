"""fapi2-security-profile-final-par-authorization-request-containing-request_uri.

RFC 9126 §2.1 and RFC 9101 §4: a request object cannot carry `request_uri` (nor `request`);
the pushed object is `invalid_request_object`.
"""

from __future__ import annotations

from .objects import refused


def test_object_holding_a_request_uri_is_refused(jar, app):
    request_uri = "urn:ietf:params:oauth:request_uri:abc"
    refused(jar, app, jar.request_object(request_uri=request_uri))
