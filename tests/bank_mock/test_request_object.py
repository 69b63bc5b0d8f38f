"""Request-object validation: before the redirect URI is trusted a page, after it a redirect.

Every case also checks that nothing was stored: no login transaction, no code.
"""

from __future__ import annotations

import base64
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey
from joserfc.jwk import RSAKey

from bank_mock.extensions import db
from bank_mock.models import AuthorizationCode
from bank_mock.models import LoginTransaction

from .support import ISSUER
from .support import query_of


def stored_rows(app) -> tuple[int, int]:
    with app.app_context():
        count = db.func.count()
        return (
            db.session.scalar(db.select(count).select_from(LoginTransaction)),
            db.session.scalar(db.select(count).select_from(AuthorizationCode)),
        )


def unsigned(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}."


OTHER_KEY = RSAKey.generate_key(2048)


def without_use(key: RSAKey) -> RSAKey:
    """The same key pair, with `use` and `alg` dropped so that joserfc will sign with it."""
    return RSAKey.import_key(
        {k: v for k, v in key.as_dict(private=True).items() if k not in ("use", "alg")}
    )


def signed(flow, header: dict | None = None, key=None, **claims) -> str:
    return flow.request_object(flow.claims(**claims), header=header, key=key)


# (case id, how to send it, expected error): all before the redirect URI is trusted.
UNTRUSTED = [
    ("unknown_client", lambda f: f.authorize(client_id="stranger"), "invalid_client"),
    ("missing_client_id", lambda f: f.authorize(client_id=None), "invalid_client"),
    (
        "plain_parameters",
        lambda f: f.browser.get("/authorize?client_id=silta-broker&response_type=code"),
        "invalid_request",
    ),
    (
        "request_uri",
        lambda f: f.authorize(request=None, request_uri="https://broker.example/r/1"),
        "request_uri_not_supported",
    ),
    ("not_a_jws", lambda f: f.authorize("not.a.jws"), "invalid_request_object"),
    ("alg_none", lambda f: f.authorize(unsigned(f.claims())), "invalid_request_object"),
    (
        "hs256",
        lambda f: f.authorize(
            jwt.encode(
                {"alg": "HS256", "kid": f.keys.sig.kid}, f.claims(), OctKey.generate_key(256)
            )
        ),
        "invalid_request_object",
    ),
    (
        "unknown_kid",
        lambda f: f.authorize(signed(f, header={"alg": "RS256", "kid": "not-registered"})),
        "invalid_request_object",
    ),
    (
        "no_kid",
        lambda f: f.authorize(signed(f, header={"alg": "RS256"})),
        "invalid_request_object",
    ),
    (
        "bad_signature",
        lambda f: f.authorize(
            signed(f, key=OTHER_KEY, header={"alg": "RS256", "kid": f.keys.sig.kid})
        ),
        "invalid_request_object",
    ),
    (
        "enc_key_signs",
        lambda f: f.authorize(
            signed(f, key=without_use(f.keys.enc), header={"alg": "RS256", "kid": f.keys.enc.kid})
        ),
        "invalid_request_object",
    ),
    ("wrong_iss", lambda f: f.authorize(signed(f, iss="someone-else")), "invalid_request_object"),
    (
        "wrong_aud",
        lambda f: f.authorize(signed(f, aud="http://127.0.0.1:8412")),
        "invalid_request_object",
    ),
    (
        "expired",
        lambda f: f.authorize(signed(f, iat=int(time.time()) - 900, exp=int(time.time()) - 120)),
        "invalid_request_object",
    ),
    (
        "exp_over_ten_minutes",
        lambda f: f.authorize(signed(f, exp=int(time.time()) + 3600)),
        "invalid_request_object",
    ),
    (
        "issued_in_future",
        lambda f: f.authorize(signed(f, iat=int(time.time()) + 600)),
        "invalid_request_object",
    ),
    ("missing_exp", lambda f: f.authorize(signed(f, exp=None)), "invalid_request_object"),
    ("missing_iat", lambda f: f.authorize(signed(f, iat=None)), "invalid_request_object"),
    ("missing_jti", lambda f: f.authorize(signed(f, jti=None)), "invalid_request_object"),
    ("missing_aud", lambda f: f.authorize(signed(f, aud=None)), "invalid_request_object"),
    ("client_id_differs", lambda f: f.authorize(signed(f, client_id="other")), "invalid_request"),
    (
        "redirect_uri_unregistered",
        lambda f: f.authorize(signed(f, redirect_uri="https://evil.example/callback")),
        "invalid_request",
    ),
    (
        "redirect_uri_prefix",
        lambda f: f.authorize(
            signed(f, redirect_uri="http://127.0.0.1:8400/methods/bank/callback/x")
        ),
        "invalid_request",
    ),
    (
        "redirect_uri_missing",
        lambda f: f.authorize(signed(f, redirect_uri=None)),
        "invalid_request",
    ),
]


@pytest.mark.parametrize(
    ("send", "error"), [c[1:] for c in UNTRUSTED], ids=[c[0] for c in UNTRUSTED]
)
def test_untrusted_requests_get_a_page_and_never_a_redirect(flow, bank, send, error):
    response = send(flow)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.mimetype == "text/html"
    assert f"<code>{error}</code>" in response.get_data(as_text=True)
    assert stored_rows(bank) == (0, 0)


def test_a_replayed_request_object_is_refused(flow, bank):
    request_object = flow.request_object()
    assert flow.authorize(request_object).status_code == 303
    again = flow.authorize(request_object)
    assert again.status_code == 400
    assert "Location" not in again.headers
    assert "<code>invalid_request_object</code>" in again.get_data(as_text=True)
    assert stored_rows(bank) == (1, 0)  # the first request's transaction only


# (case id, claims or outside parameters, expected error): the redirect URI is trusted by now.
REDIRECTED = [
    ("response_type_token", {"response_type": "token"}, {}, "unsupported_response_type"),
    ("response_type_outside_differs", {}, {"response_type": "token"}, "invalid_request"),
    ("scope_outside_differs", {}, {"scope": "openid"}, "invalid_request"),
    ("scope_without_openid", {"scope": "profile"}, {}, "invalid_scope"),
    ("unknown_scope", {"scope": "openid payments"}, {}, "invalid_scope"),
    ("missing_nonce", {"nonce": None}, {}, "invalid_request"),
    ("short_nonce", {"nonce": "a" * 21}, {}, "invalid_request"),
    (
        "missing_code_challenge",
        {"code_challenge": None, "code_challenge_method": None},
        {},
        "invalid_request",
    ),
    ("plain_pkce", {"code_challenge_method": "plain"}, {}, "invalid_request"),
    ("missing_pkce_method", {"code_challenge_method": None}, {}, "invalid_request"),
    ("short_code_challenge", {"code_challenge": "abc"}, {}, "invalid_request"),
    ("missing_acr_values", {"acr_values": None}, {}, "invalid_request"),
    (
        "two_acr_values",
        {"acr_values": "http://ftn.ficora.fi/2017/loa2 http://ftn.ficora.fi/2017/loa3"},
        {},
        "invalid_request",
    ),
    ("eidas_acr", {"acr_values": "http://eidas.europa.eu/LoA/substantial"}, {}, "invalid_request"),
    ("missing_ftn_spname", {"ftn_spname": None}, {}, "invalid_request"),
    ("empty_ftn_spname", {"ftn_spname": ""}, {}, "invalid_request"),
    ("long_ftn_spname", {"ftn_spname": "x" * 41}, {}, "invalid_request"),
    ("prompt_none", {"prompt": "none"}, {}, "login_required"),
]


@pytest.mark.parametrize(
    ("claims", "outside", "error"), [c[1:] for c in REDIRECTED], ids=[c[0] for c in REDIRECTED]
)
def test_invalid_requests_with_a_trusted_redirect_uri_go_back_with_state_and_iss(
    flow, bank, claims, outside, error
):
    response = flow.authorize(flow.request_object(flow.claims(**claims)), **outside)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location.startswith("http://127.0.0.1:8400/methods/bank/callback?")
    params = query_of(response.location)
    assert params["error"] == error
    assert params["state"] == flow.state
    assert params["iss"] == ISSUER
    assert "code" not in params
    assert stored_rows(bank) == (0, 0)


def test_missing_state_is_refused_without_state(flow, bank):
    response = flow.authorize(flow.request_object(flow.claims(state=None)))
    params = query_of(response.location)
    assert params["error"] == "invalid_request"
    assert "state" not in params
    assert stored_rows(bank) == (0, 0)


def test_outside_parameters_equal_to_the_objects_are_accepted(flow, bank):
    claims = flow.claims()
    response = flow.authorize(
        flow.request_object(claims), response_type="code", scope=claims["scope"]
    )
    assert response.status_code == 303
    assert stored_rows(bank) == (1, 0)


def test_a_valid_request_is_stored_and_sent_to_the_login_screen(flow, bank):
    response = flow.authorize()
    assert response.status_code == 303
    assert response.location.startswith("/login/")
    assert stored_rows(bank) == (1, 0)


def test_a_forty_character_service_name_and_the_issuer_in_a_list_are_accepted(flow):
    response = flow.authorize(flow.request_object(flow.claims(ftn_spname="x" * 40, aud=[ISSUER])))
    assert response.status_code == 303
