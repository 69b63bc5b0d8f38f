"""fapi2-security-profile-final-ensure-pkce-code-verifier-required.

RFC 7636 §4.6 and the module: a token request without `code_verifier` for a code issued with a
challenge ends in `invalid_grant`; nothing is issued and the code is not spent.
"""

from __future__ import annotations

from .support import json_error
from .tokens import fresh_code
from .tokens import nothing_issued


def test_token_request_without_code_verifier_is_invalid_grant(fapi, app):
    code = fresh_code(fapi)
    json_error(fapi.redeem(code, code_verifier=None), 400, "invalid_grant")
    nothing_issued(app)
