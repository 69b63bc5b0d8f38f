"""oidcc-redirect-uri-regfrag: a redirect URI with a fragment cannot be registered.

RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component." The module tries to
register one dynamically; registration here is by operators, and refuses it the same way.
"""

from __future__ import annotations

import pytest

from idp import clients
from idp.storage.models import Client
from tests.support.checks import count


def test_fragment_in_a_redirect_uri_is_refused_at_registration(clean):
    data = dict(client_id="frag", name="Fragment", redirect_uris=["https://frag.example/cb#x"])
    with clean.app_context(), pytest.raises(clients.ClientError, match="fragment"):
        clients.register(data)
    assert count(clean, Client) == 0
