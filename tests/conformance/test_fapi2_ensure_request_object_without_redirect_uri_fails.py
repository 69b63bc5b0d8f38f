"""fapi2-security-profile-final-ensure-request-object-without-redirect-uri-fails.

OIDC Core §3.1.2.1: `redirect_uri` is required; inside an object as outside. /par answers
`invalid_request` (RFC 9126 §2.3) and stores nothing.
"""

from __future__ import annotations

from .objects import refused


def test_object_without_redirect_uri_is_refused(jar, app):
    refused(jar, app, jar.request_object(redirect_uri=None), error="invalid_request")
