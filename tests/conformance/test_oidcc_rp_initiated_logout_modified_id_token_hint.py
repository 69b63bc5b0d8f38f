"""oidcc-rp-initiated-logout-modified-id-token-hint: a hint changed to `alg: none` is refused.

RP-Initiated Logout 1.0 §2 (the OP MUST validate the hint's signature) and §4 (after an error,
no redirect): an error page, and the session stays.
"""

from __future__ import annotations

import base64
import json

from .logouts import LOGGED_OUT
from .logouts import live_sessions
from .logouts import logged_in
from .support import page_error


def test_alg_none_hint_is_an_error_page_and_the_session_stays(flow, browser, app):
    tokens = logged_in(flow)
    _, payload, _ = tokens["id_token"].split(".")
    none = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=").decode()
    response = browser.get(
        "/logout",
        query_string={
            "id_token_hint": f"{none}.{payload}.",
            "post_logout_redirect_uri": LOGGED_OUT,
        },
    )
    page_error(response, "invalid_request")
    assert live_sessions(app) == 1
