"""oidcc-redirect-uri-query-OK: a registered redirect URI with a query works, query kept.

RFC 6749 §3.1.2: the URI "MAY include a query component, which MUST be retained when adding
additional query parameters"; OIDC Core §3.1.2.1 exact match.
"""

from __future__ import annotations

from urllib.parse import parse_qs
from urllib.parse import urlsplit

from .redirects import WITH_QUERY
from .redirects import query_flow
from .support import validate_id_token


def test_registered_query_is_matched_and_kept(browser, app):
    flow = query_flow(browser, app)
    flow.authorize()
    flow.login_and_consent()
    location = flow.last.headers["Location"]
    assert location.startswith("https://tax.example/callback?")
    answer = parse_qs(urlsplit(location).query)
    assert answer["service"] == ["tax"]
    assert answer["state"] == [flow.state]
    tokens = flow.exchange_code(answer["code"][0], redirect_uri=WITH_QUERY).get_json()
    validate_id_token(browser, tokens["id_token"], flow.rp.client_id, flow.nonce)
