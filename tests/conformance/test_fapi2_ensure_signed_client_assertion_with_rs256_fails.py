"""fapi2-security-profile-final-ensure-signed-client-assertion-with-RS256-fails: a deviation.

FAPI 2.0 §5.4.1 allows PS256, ES256 and EdDSA only. The Finnish Trust Network profile requires
RS256 client assertions (ARCHITECTURE §8), so the broker accepts RS256, PS256 and ES256
(docs/relying-party-guide.md, "Choose your profile").
"""

from __future__ import annotations

import pytest
from joserfc import jwt

from .fapi import ASSERTION_TYPE
from .fapi import SIG
from .fapi import assertion
from .tokens import fresh_code


@pytest.mark.parametrize("alg", ["RS256", "PS256"])
def test_rs256_and_ps256_assertions_are_accepted(fapi, alg):
    code = fresh_code(fapi)
    claims = jwt.decode(assertion(fapi.rp.client_id), SIG).claims
    signed = jwt.encode({"alg": alg, "kid": SIG.kid}, claims, SIG, algorithms=[alg])
    auth = {"client_assertion_type": ASSERTION_TYPE, "client_assertion": signed}
    assert fapi.redeem(code, auth=auth).status_code == 200
