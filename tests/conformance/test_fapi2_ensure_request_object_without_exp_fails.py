"""fapi2-security-profile-final-ensure-request-object-without-exp-fails.

FAPI 2.0 Message Signing §5.3.1 and RFC 9101 §10.2: a request object carries `exp`; one without
it is `invalid_request_object`.
"""

from __future__ import annotations

from .objects import refused


def test_object_without_exp_is_refused(jar, app):
    refused(jar, app, jar.request_object(exp=None))
