"""fapi2-security-profile-final-ensure-request-object-with-bad-aud-fails.

RFC 9101 §4: `aud` names the authorization server (its issuer); another audience is
`invalid_request_object`.
"""

from __future__ import annotations

from .objects import refused


def test_object_for_another_audience_is_refused(jar, app):
    refused(jar, app, jar.request_object(aud="https://other-op.example"))
