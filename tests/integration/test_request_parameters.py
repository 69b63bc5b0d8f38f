"""Each authorization request parameter is sent once (RFC 6749 §3.1), at /authorize and /par."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from idp.storage.models import Interaction
from idp.storage.models import PushedRequest
from tests.support.checks import count
from tests.support.checks import error_page


def test_a_parameter_sent_twice_is_refused_and_nothing_is_stored(flow, app):
    response = flow.authorize(scope=["openid", "openid profile"])
    assert error_page(response) == "invalid_request"
    assert "Multiple &#39;scope&#39; in request." in response.get_data(as_text=True)
    assert count(app, Interaction) == 0


def test_the_same_request_with_each_parameter_once_is_served(flow, app):
    response = flow.authorize(scope="openid profile")
    assert response.status_code == 303
    assert count(app, Interaction) == 1


def test_a_pushed_request_with_a_parameter_twice_is_refused(browser, rp, app):
    form = MultiDict(
        [
            ("response_type", "code"),
            ("client_id", rp.client_id),
            ("redirect_uri", rp.redirect_uri),
            ("scope", "openid"),
            ("scope", "openid profile"),
            ("nonce", "n-0123456789"),
            ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
            ("code_challenge_method", "S256"),
        ]
    )
    response = browser.post("/par", data=form, auth=rp.auth)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"
    assert "Multiple 'scope'" in response.get_json()["error_description"]
    assert count(app, PushedRequest) == 0


def test_a_parameter_both_in_the_query_and_in_the_form_is_refused(flow, app):
    flow.authorize()  # a valid request's parameters, to post
    query_string = {"scope": "openid"}
    form = {"scope": "openid profile", "client_id": flow.rp.client_id, "response_type": "code"}
    response = flow.browser.post("/authorize", query_string=query_string, data=form)
    assert error_page(response) == "invalid_request"
    assert "Multiple &#39;scope&#39; in request." in response.get_data(as_text=True)
    assert count(app, Interaction) == 1  # the first request's only
