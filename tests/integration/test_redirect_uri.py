"""The redirect URI is compared exactly, and a wrong one is never redirected to.

RFC 6749 §3.1.2.4 and §4.1.2.1, RFC 9700 §4.1.3, OIDC Core §3.1.2.1 (redirect_uri REQUIRED,
exact match). The conformance suite's ``oidcc-ensure-registered-redirect-uri`` and
``oidcc-ensure-redirect-uri-in-authorization-request``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from idp.storage.models import AuthorizationCode
from idp.storage.models import Interaction
from idp.storage.models import Token
from tests.conftest import register
from tests.support.checks import count
from tests.support.checks import error_page
from tests.support.checks import rows
from tests.support.flow import Flow
from tests.support.flow import query

REGISTERED = "https://tax.example/callback"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://attacker.example/callback",
        "https://tax.example/callback/",
        "https://tax.example/callback?next=1",
        "https://tax.example/callback#frag",
        "https://tax.example/Callback",
        "http://tax.example/callback",
        "https://tax.example:443/callback",
        "https://tax.example.attacker.example/callback",
    ],
    ids=[
        "other-host",
        "trailing-slash",
        "added-query",
        "fragment",
        "path-case",
        "http",
        "explicit-port",
        "host-suffix",
    ],
)
def test_unregistered_redirect_uri_gets_an_error_page(flow, app, redirect_uri):
    response = flow.authorize(redirect_uri=redirect_uri)
    assert error_page(response) == "invalid_request"
    assert count(app, Interaction) == 0
    assert count(app, AuthorizationCode) == 0


def test_missing_redirect_uri_gets_an_error_page(flow, app):
    response = flow.authorize(redirect_uri=None)
    assert error_page(response) == "invalid_request"
    assert count(app, Interaction) == 0


def test_unregistered_redirect_uri_is_refused_even_with_a_live_session(flow, app):
    flow.code_flow()
    response = flow.authorize(redirect_uri="https://attacker.example/callback")
    assert error_page(response) == "invalid_request"
    assert count(app, Interaction) == 1  # the first login's only
    assert count(app, AuthorizationCode) == 1


@pytest.mark.parametrize(
    "redirect_uri",
    ["https://tax.example/callback/", "https://tax.example/other", None],
    ids=["trailing-slash", "other-path", "missing"],
)
def test_token_request_with_a_different_redirect_uri_is_invalid_grant(flow, app, redirect_uri):
    flow.authorize()
    code = flow.login_and_consent()["code"]
    response = flow.exchange_code(code, redirect_uri=redirect_uri)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert count(app, Token) == 0
    assert rows(app, AuthorizationCode)[0].used_at is None


def test_client_with_two_redirect_uris_is_answered_at_the_one_it_named(browser, app):
    second = "https://tax.example/second"
    rp = register(app, redirect_uris=[REGISTERED, second])
    flow = Flow(browser, rp)
    flow.authorize(redirect_uri=second)
    flow.login()
    flow.consent()
    response = flow.resume()
    assert response.headers["Location"].startswith(second + "?")
    assert query(response)["state"] == flow.state


def test_a_registered_query_is_kept_as_it_is_and_the_answer_follows_it(browser, app):
    # RFC 6749 §3.1.2: the redirect URI "MAY include an ... query component, which MUST be
    # retained when adding additional query parameters"; RFC 9207 §2 adds `iss`.
    with_query = "https://tax.example/callback?tenant=a&x=1"
    rp = register(app, redirect_uris=[with_query])
    flow = Flow(browser, rp)
    flow.authorize(redirect_uri=with_query)
    flow.login()
    flow.consent()
    response = flow.resume()
    location = response.headers["Location"]
    assert location.startswith(with_query + "&")
    assert location.endswith("&" + urlencode({"iss": app.config["ISSUER"]}))
    answer = query(response)
    assert answer["tenant"] == "a"
    assert answer["x"] == "1"
    assert answer["state"] == flow.state
    assert answer["code"]
