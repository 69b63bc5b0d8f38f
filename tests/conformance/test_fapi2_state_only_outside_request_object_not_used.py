"""fapi2-security-profile-final-state-only-outside-request-object-not-used: a deviation.

RFC 9101 §5: only the object's parameters count, so a `state` outside it must not be echoed.
The broker goes further for clients that must sign (FTN): anything outside the object but
`client_id` and `request` refuses the whole request (`invalid_request`), and nothing is stored.
"""

from __future__ import annotations

from .objects import refused


def test_state_outside_the_object_refuses_the_request(jar, app):
    refused(jar, app, jar.request_object(state=None), error="invalid_request", state="outside")
