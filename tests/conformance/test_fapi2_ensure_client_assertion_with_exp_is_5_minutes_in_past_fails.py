"""fapi2-security-profile-final-ensure-client-assertion-with-exp-is-5-minutes-in-past-fails.

FAPI 2.0 §5.3.2.1 and RFC 6749 §5.2:
an assertion that expired five minutes ago (RFC 7519 §4.1.4) is
`invalid_client`; nothing is issued and the code is not spent.
"""

from __future__ import annotations

import time

from .support import json_error
from .tokens import fresh_code
from .tokens import nothing_issued


def test_assertion_is_invalid_client(fapi, app):
    code = fresh_code(fapi)
    now = int(time.time())
    auth = fapi.client_auth(exp=now - 300, iat=now - 360)
    json_error(fapi.redeem(code, auth=auth), (400, 401), "invalid_client")
    nothing_issued(app)
