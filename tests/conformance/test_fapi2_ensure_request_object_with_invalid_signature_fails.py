"""fapi2-security-profile-final-ensure-request-object-with-invalid-signature-fails.

RFC 9101 §6.2: the signature must verify with the client's registered key; a changed signature
is `invalid_request_object`.
"""

from __future__ import annotations

from .objects import refused


def test_object_with_a_broken_signature_is_refused(jar, app):
    header, payload, signature = jar.request_object().split(".")
    broken = signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")
    refused(jar, app, f"{header}.{payload}.{broken}")
