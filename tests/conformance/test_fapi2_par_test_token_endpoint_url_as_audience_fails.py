"""fapi2-security-profile-final-par-test-token-endpoint-url-as-audience-fails: a deviation.

FAPI 2.0 §5.3.2.1 item 8 accepts only the issuer as an assertion's audience. The Finnish Trust
Network profile puts the token endpoint URL there (ARCHITECTURE §8), so the broker accepts it
(docs/relying-party-guide.md, "Choose your profile").
"""

from __future__ import annotations

from .par_audience import push_with_audience
from .support import ISSUER


def test_token_endpoint_as_audience_is_accepted(fapi):
    assert push_with_audience(fapi, ISSUER + "/token").status_code == 201
