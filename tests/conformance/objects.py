"""The request-object modules' common step: push a signed object and expect it refused."""

from __future__ import annotations

from .support import assert_unchanged
from .support import json_error
from .support import snapshot


def push_object(flow, request: str, **outside):
    """POST /par with only `client_id` and the object (FAPI 2.0 Message Signing §5.3.1)."""
    body = {"client_id": flow.rp.client_id, "request": request, **outside}
    return flow.push(body=body)


def refused(flow, app, request: str, error: str = "invalid_request_object", **outside) -> None:
    """The object is refused at /par, as JSON (RFC 9126 §2.3), and nothing is stored."""
    before = snapshot(app)
    json_error(push_object(flow, request, **outside), 400, error)
    assert_unchanged(app, before)


def accepted(flow, request: str) -> dict:
    """The object is accepted at /par and its login completes; the token response."""
    pushed = push_object(flow, request)
    assert pushed.status_code == 201, pushed.get_json()
    response = flow.open(pushed.get_json()["request_uri"])
    assert response.status_code == 303
    answer = flow.login_and_consent()
    tokens = flow.redeem(answer["code"])
    assert tokens.status_code == 200, tokens.get_json()
    return tokens.get_json()
