"""fapi2-security-profile-final-ensure-request-object-with-multiple-aud-succeeds.

RFC 7519 §4.1.3: `aud` may be an array; one naming the issuer among others is addressed to it.
"""

from __future__ import annotations

from .objects import accepted
from .support import ISSUER
from .support import validate_id_token


def test_object_with_the_issuer_among_several_audiences_is_accepted(jar, browser):
    tokens = accepted(jar, jar.request_object(aud=[ISSUER, "https://other.example"]))
    validate_id_token(browser, tokens["id_token"], jar.rp.client_id, jar.nonce)
