"""fapi2-security-profile-final-ensure-request-object-with-exp-over-60-fails.

FAPI 2.0 Message Signing §5.3.1: `exp` no more than 60 minutes after `nbf`. The broker's own
bound is stricter, 10 minutes ahead (docs/relying-party-guide.md, "Signed request objects").
"""

from __future__ import annotations

import time

import pytest

from .objects import refused


@pytest.mark.parametrize("minutes", [70, 11], ids=["fapi-bound", "broker-bound"])
def test_object_living_too_long_is_refused(jar, app, minutes):
    refused(jar, app, jar.request_object(exp=int(time.time()) + minutes * 60))
