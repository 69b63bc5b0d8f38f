"""oidcc-ensure-request-with-acr-values-succeeds: `acr_values` is honoured and reported.

OIDC Core §3.1.2.1 (`acr_values`, voluntary) and §2 (`acr` in the ID token). The broker answers
in the vocabulary asked in (docs/relying-party-guide.md, "Levels of assurance").
"""

from __future__ import annotations

import pytest

from .logins import second_id_token

LOA2 = "http://ftn.ficora.fi/2017/loa2"
SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"


@pytest.mark.parametrize("acr", [LOA2, SUBSTANTIAL])
def test_acr_values_are_accepted_and_the_reached_level_reported(flow, browser, acr):
    supported = browser.get("/.well-known/openid-configuration").get_json()
    assert acr in supported["acr_values_supported"]
    flow.authorize(acr_values=f"{acr} urn:unknown:level")
    assert second_id_token(flow)["acr"] == acr
