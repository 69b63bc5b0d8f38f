"""fapi2-security-profile-final-ensure-client-assertion-with-no-sub-fails.

FAPI 2.0 §5.3.2.1 and RFC 6749 §5.2:
an assertion without `sub` (RFC 7523 §3 item 2) is
`invalid_client`; nothing is issued and the code is not spent.
"""

from __future__ import annotations

from .support import json_error
from .tokens import fresh_code
from .tokens import nothing_issued


def test_assertion_is_invalid_client(fapi, app):
    code = fresh_code(fapi)
    auth = fapi.client_auth(sub=None)
    json_error(fapi.redeem(code, auth=auth), (400, 401), "invalid_client")
    nothing_issued(app)
