"""fapi2-security-profile-final-ensure-matching-key-in-authorization-request.

RFC 9101 §6.2: an object signed with a key the client did not register (here one claiming the
registered `kid`) is `invalid_request_object`.
"""

from __future__ import annotations

from .fapi import STRANGER
from .objects import refused


def test_object_signed_with_an_unregistered_key_is_refused(jar, app):
    refused(jar, app, jar.request_object(key=STRANGER))
