"""fapi2-security-profile-final-par-test-par-endpoint-url-as-audience-fails: a deviation.

FAPI 2.0 §5.3.2.1 item 8 accepts only the issuer as an assertion's audience. RFC 9126 §2 lets
the PAR endpoint URL serve as one, and the broker accepts it (docs/relying-party-guide.md,
"Pushed authorization requests").
"""

from __future__ import annotations

from .par_audience import push_with_audience
from .support import ISSUER


def test_par_endpoint_as_audience_is_accepted(fapi):
    assert push_with_audience(fapi, ISSUER + "/par").status_code == 201
