"""oidcc-idtoken-unsigned: the broker never issues an unsigned (`alg: none`) ID token.

OIDC Core §3.1.3.7 item 7 lets an OP offer `none` for the code flow; the module is skipped when
discovery does not list it. The broker neither lists nor accepts it: a registration asking for
it is refused and stores nothing (ARCHITECTURE §3 step 6: signed, RS256 or ES256 per client).
"""

from __future__ import annotations

import pytest

from idp import clients
from idp.storage.models import Client
from tests.support.checks import count


def test_discovery_does_not_offer_none(browser):
    metadata = browser.get("/.well-known/openid-configuration").get_json()
    assert "none" not in metadata["id_token_signing_alg_values_supported"]
    assert "none" not in metadata["userinfo_signing_alg_values_supported"]


def test_a_registration_asking_for_unsigned_id_tokens_is_refused(clean):
    data = dict(
        client_id="unsigned",
        name="Unsigned",
        redirect_uris=["https://unsigned.example/cb"],
        id_token_signed_response_alg="none",
    )
    with clean.app_context(), pytest.raises(clients.ClientError, match="RS256 or ES256"):
        clients.register(data)
    assert count(clean, Client) == 0
