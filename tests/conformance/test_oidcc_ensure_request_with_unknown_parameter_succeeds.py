"""oidcc-ensure-request-with-unknown-parameter-succeeds: unknown parameters are ignored.

RFC 6749 §3.1: "The authorization server MUST ignore unrecognized request parameters."
"""

from __future__ import annotations

from .logins import second_id_token


def test_unknown_parameter_is_ignored(flow):
    response = flow.authorize(extra="foobar", **{"x-vendor": "1"})
    assert response.status_code == 303
    second_id_token(flow)
