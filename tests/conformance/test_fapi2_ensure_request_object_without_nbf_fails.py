"""fapi2-security-profile-final-ensure-request-object-without-nbf-fails.

FAPI 2.0 Message Signing §5.3.1 item 3 (as FAPI 1.0 Advanced §5.2.2 item 17): the request
object SHALL contain an `nbf` no longer than 60 minutes in the past; one without `nbf` is
`invalid_request_object`.
"""

from __future__ import annotations

from .objects import refused


def test_object_without_nbf_is_refused(jar, app):
    refused(jar, app, jar.request_object(nbf=None))
