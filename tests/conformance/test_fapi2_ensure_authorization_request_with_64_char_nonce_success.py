"""fapi2-security-profile-final-ensure-authorization-request-with-64-char-nonce-success.

OIDC Core §3.1.2.1 and §3.1.3.7 item 11: the nonce comes back in the ID token unchanged.
"""

from __future__ import annotations

import secrets

from .support import validate_id_token


def test_64_character_nonce_is_returned_unchanged(fapi, browser):
    nonce = secrets.token_hex(32)
    _, tokens = fapi.complete(nonce=nonce)
    assert (
        validate_id_token(browser, tokens["id_token"], fapi.rp.client_id, nonce)["nonce"] == nonce
    )
