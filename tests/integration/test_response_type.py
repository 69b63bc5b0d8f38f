"""Only ``response_type=code`` is served; others are refused back to a verified redirect URI.

RFC 6749 §3.1.1 and §4.1.2.1, OIDC Core §3.1.2.6, RFC 9207 §2 (``iss`` on error responses
too). The conformance suite's ``oidcc-response-type-missing`` accepts either
``unsupported_response_type`` or ``invalid_request`` for a missing response type.
"""

from __future__ import annotations

import pytest

from idp.storage.models import AuthorizationCode
from idp.storage.models import Interaction
from tests.support.checks import count
from tests.support.checks import error_page
from tests.support.flow import query

ISSUER = "http://127.0.0.1:8400"


@pytest.mark.parametrize(
    "response_type",
    ["token", "id_token", "code id_token", "code token", "id_token token", "none", "CODE", None],
)
def test_unsupported_response_type_is_redirected_with_state_and_iss(flow, app, response_type):
    response = flow.authorize(response_type=response_type)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("https://tax.example/callback?")
    answer = query(response)
    assert answer["error"] == "unsupported_response_type"
    assert answer["state"] == flow.state
    assert answer["iss"] == ISSUER
    assert "code" not in answer
    assert count(app, Interaction) == 0
    assert count(app, AuthorizationCode) == 0


def test_unsupported_response_type_with_a_live_session_issues_no_code(flow, app):
    flow.code_flow()
    response = flow.authorize(response_type="code id_token")
    assert query(response)["error"] == "unsupported_response_type"
    assert count(app, AuthorizationCode) == 1  # the first login's only


def test_unsupported_response_type_with_form_post_is_posted(flow, app):
    response = flow.authorize(response_type="token", response_mode="form_post")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'action="https://tax.example/callback"' in html
    assert 'value="unsupported_response_type"' in html
    assert f'value="{flow.state}"' in html
    assert count(app, Interaction) == 0


@pytest.mark.parametrize(
    ("client_id", "redirect_uri"),
    [
        ("nobody", "https://tax.example/callback"),
        (None, "https://tax.example/callback"),
        ("tax", "https://attacker.example/callback"),
    ],
    ids=["unknown-client", "missing-client", "unregistered-redirect"],
)
def test_unsupported_response_type_without_a_verified_redirect_is_a_page(
    flow, app, client_id, redirect_uri
):
    response = flow.authorize(response_type="token", client_id=client_id, redirect_uri=redirect_uri)
    assert error_page(response) == "unsupported_response_type"
    assert count(app, Interaction) == 0


@pytest.mark.parametrize(
    "client_id", ["nobody", None, "x" * 101], ids=["unknown", "missing", "too-long"]
)
def test_unknown_client_gets_an_error_page_not_a_redirect(flow, app, client_id):
    response = flow.authorize(client_id=client_id)
    assert error_page(response) == "invalid_client"
    assert count(app, Interaction) == 0
    assert count(app, AuthorizationCode) == 0
