"""fapi2-security-profile-final-access-token-type-header-case-sensitivity.

RFC 9110 §11.1: the authentication scheme name is case-insensitive, so `bearer` and `BEARER`
work as `Bearer` does (RFC 6750 §2.1).
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "BeArEr"])
def test_scheme_is_case_insensitive(fapi, browser, scheme):
    _, tokens = fapi.complete()
    response = browser.get(
        "/userinfo", headers={"Authorization": f"{scheme} {tokens['access_token']}"}
    )
    assert response.status_code == 200
    assert response.get_json()["sub"]
