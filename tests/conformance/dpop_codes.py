"""A DPoP-bound code: pushed with a proof (§10.1) or with `dpop_jkt` (§10), then logged in."""

from __future__ import annotations

from . import dpop
from .support import callback


def bound_code(flow, by_proof: bool) -> str:
    if by_proof:
        pushed = flow.push(headers=dpop.at(dpop.PAR_URL))
    else:
        pushed = flow.push(dpop_jkt=dpop.KEY.thumbprint())
    assert pushed.status_code == 201, pushed.get_json()
    flow.open(pushed.get_json()["request_uri"])
    flow.login_and_consent()
    return callback(flow.last, flow.state)["code"]
