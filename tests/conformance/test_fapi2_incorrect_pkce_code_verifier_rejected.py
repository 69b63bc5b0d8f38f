"""fapi2-security-profile-final-incorrect-pkce-code-verifier-rejected.

RFC 7636 §4.6: a verifier that does not hash to the challenge is `invalid_grant`; nothing is
issued and the code is not spent.
"""

from __future__ import annotations

from tests.support.pkce import new_pair

from .support import json_error
from .tokens import fresh_code
from .tokens import nothing_issued


def test_wrong_code_verifier_is_invalid_grant(fapi, app):
    code = fresh_code(fapi)
    wrong, _ = new_pair()
    json_error(fapi.redeem(code, code_verifier=wrong), 400, "invalid_grant")
    nothing_issued(app)
