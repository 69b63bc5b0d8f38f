"""fapi2-security-profile-final-ensure-signed-request-object-with-RS256-fails: a deviation.

FAPI 2.0 Security Profile §5.4.1 allows only PS256, ES256 and EdDSA. The Finnish Trust Network
profile mandates RS256 request objects (ARCHITECTURE §8), so the broker accepts RS256, and
PS256 and ES256 as well (docs/relying-party-guide.md).
"""

from __future__ import annotations

import pytest

from .objects import accepted


@pytest.mark.parametrize("alg", ["RS256", "PS256"])
def test_rs256_and_ps256_objects_are_accepted(jar, alg):
    accepted(jar, jar.request_object(header={"alg": alg, "kid": jar.key.kid}))
