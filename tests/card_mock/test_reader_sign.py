"""The signing page: a real SoftHSM2 card signs H(H(origin) ‖ H(challenge)) for allowed origins."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding

from card_mock.token import Card
from card_mock.token import card_label

from .reader_fixtures import *  # noqa: F403  (the bridge's fixtures)
from .reader_support import BROKER_ORIGIN
from .reader_support import OTHER_ORIGIN
from .reader_support import handed_back
from .reader_support import new_challenge
from .reader_support import sign
from .reader_support import sign_page
from .reader_support import verify_web_eid
from .support import AINO
from .support import MIKKO
from .support import PIN
from .support import csrf_token


@pytest.mark.parametrize(("algorithm", "jose"), [("EC-P256", "ES256"), ("RSA-2048", "RS256")])
def test_the_token_verifies_against_the_cards_certificate(
    client, issue_card, parts, algorithm, jose
):
    issued = issue_card(algorithm=algorithm)
    response, challenge = sign(client, issued.serial, PIN)
    assert response.status_code == 200
    origin, message = handed_back(response)
    assert origin == BROKER_ORIGIN  # postMessage's explicit target, never "*"
    assert message["type"] == "silta-reader:token"
    token = message["token"]
    assert token["algorithm"] == jose
    certificate = verify_web_eid(token, BROKER_ORIGIN, challenge)
    with Card.open(parts.tokens.find(card_label(issued.serial))) as on_card:
        assert certificate == on_card.certificate()
    assert certificate.public_bytes(Encoding.DER) == issued.certificate


def test_the_signature_is_bound_to_origin_and_challenge(client, card):
    response, challenge = sign(client, card.serial, PIN)
    token = handed_back(response)[1]["token"]
    with pytest.raises(InvalidSignature):
        verify_web_eid(token, OTHER_ORIGIN, challenge)
    with pytest.raises(InvalidSignature):
        verify_web_eid(token, BROKER_ORIGIN, new_challenge())


def test_the_page_names_the_site_and_the_tries_left(client, card):
    page = sign_page(client).get_data(as_text=True)
    assert f'<strong class="origin">{BROKER_ORIGIN}</strong>' in page
    assert "Aino Virtanen, card " + card.serial in page
    assert "3 of 3 tries left" in page


def test_the_citizen_picks_among_several_cards(client, issue_card):
    first, second = issue_card(AINO), issue_card(MIKKO)
    page = sign_page(client).get_data(as_text=True)
    assert f'value="{first.serial}"' in page and f'value="{second.serial}"' in page
    response, challenge = sign(client, second.serial, PIN)
    certificate = verify_web_eid(handed_back(response)[1]["token"], BROKER_ORIGIN, challenge)
    assert certificate.public_bytes(Encoding.DER) == second.certificate


@pytest.mark.parametrize(
    "origin",
    [
        OTHER_ORIGIN,
        BROKER_ORIGIN + "/",  # exactly scheme://host[:port]
        BROKER_ORIGIN + ":443",
        "http://broker.test",
        "HTTPS://broker.test",
        "",
    ],
)
def test_an_origin_not_allowed_is_refused(client, card, origin):
    page = sign_page(client, origin)
    assert page.status_code == 403
    body = page.get_data(as_text=True)
    assert "does not serve" in body
    assert 'name="pin"' not in body and "reader-message" not in body


def test_a_post_for_another_origin_signs_nothing(client, card):
    page = sign_page(client)
    challenge = new_challenge()
    response = client.post(
        "/sign",
        data={
            "csrf_token": csrf_token(page.data),
            "origin": OTHER_ORIGIN,
            "challenge": challenge,
            "card": card.serial,
            "pin": PIN,
        },
    )
    assert response.status_code == 403
    assert "reader-message" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "challenge",
    [
        base64.b64encode(bytes(31)).decode(),  # 31 bytes
        base64.b64encode(bytes(33)).decode(),
        base64.urlsafe_b64encode(b"\xfb" * 32).decode(),  # the URL-safe alphabet
        base64.b64encode(bytes(32)).decode().rstrip("="),  # no padding
        "A" * 42 + "B=",  # non-canonical: bits beyond the 32 bytes are set
        "!" * 44,
        "",
    ],
)
def test_a_bad_challenge_is_refused(client, card, challenge):
    page = sign_page(client, challenge=challenge)
    assert page.status_code == 400
    assert 'name="pin"' not in page.get_data(as_text=True)


def test_a_post_needs_its_csrf_token(client, card, bridge):
    response = client.post(
        "/sign",
        data={
            "origin": BROKER_ORIGIN,
            "challenge": new_challenge(),
            "card": card.serial,
            "pin": PIN,
        },
    )
    assert response.status_code == 400
    assert "reader-message" not in response.get_data(as_text=True)
    assert bridge.extensions["silta_reader.reader"].states.load(card.serial).pin_tries_left == 3


def test_cancel_tells_the_opener(client, card):
    page = sign_page(client)
    response = client.post(
        "/sign/cancel",
        data={
            "csrf_token": csrf_token(page.data),
            "origin": BROKER_ORIGIN,
            "challenge": new_challenge(),
        },
    )
    assert handed_back(response) == (BROKER_ORIGIN, {"type": "silta-reader:cancelled"})


def test_no_card_in_the_reader(client):
    page = sign_page(client)
    assert page.status_code == 404
    origin, message = handed_back(page)
    assert (origin, message) == (BROKER_ORIGIN, {"type": "silta-reader:error", "code": "no_card"})
    assert "No card in the reader" in page.get_data(as_text=True)


def test_a_malformed_pin_never_reaches_the_card(client, card, bridge):
    response, _challenge = sign(client, card.serial, "12ab")
    assert response.status_code == 400
    assert "Type the PIN: 4 to 12 digits." in response.get_data(as_text=True)
    assert bridge.extensions["silta_reader.reader"].states.load(card.serial).pin_tries_left == 3


def test_the_pin_is_never_echoed_logged_or_put_in_a_url(client, card, caplog):
    caplog.set_level("DEBUG")
    wrong, _ = sign(client, card.serial, "97531")
    right, _ = sign(client, card.serial, PIN)
    for response in (wrong, right):
        body = response.get_data(as_text=True)
        assert "97531" not in body and f'value="{PIN}"' not in body
        assert 'action="/sign"' in body or "reader-message" in body
    assert "97531" not in caplog.text
    page = sign_page(client).get_data(as_text=True)
    assert re.search(r'<form method="post" action="/sign" novalidate>', page)


def test_pages_are_protected_and_accessible(client, card):
    for lang, title in (("en", "Identify yourself"), ("fi", "Tunnistaudu"), ("ja", "本人確認")):
        page = sign_page(client, lang=lang)
        html = page.get_data(as_text=True)
        assert f'<html lang="{lang}">' in html and title in html
        assert page.headers["X-Frame-Options"] == "DENY"
        policy = page.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
        assert "<script>" not in html  # no inline script: reader.js is a static file
        assert re.search(r'<main id="main"', html) and "<nav" in html
        pin_field = re.search(r'<input[^>]*name="pin"[^>]*>', html).group(0)
        for attribute in ('type="password"', 'autocomplete="off"', 'inputmode="numeric"'):
            assert attribute in pin_field
        for field in re.findall(r'<input(?![^>]*type="hidden")[^>]*id="([^"]+)"', html):
            assert f'<label for="{field}">' in html, f"{field} has no label"
        assert "Set-Cookie" not in page.headers or "HttpOnly" in page.headers["Set-Cookie"]


def test_language_follows_accept_language(client, card):
    page = client.get(
        "/sign",
        query_string={"origin": BROKER_ORIGIN, "challenge": new_challenge()},
        headers={"Accept-Language": "ja,en;q=0.5"},
    )
    assert '<html lang="ja">' in page.get_data(as_text=True)


def test_the_cookie_is_httponly_and_samesite(client, card):
    page = sign_page(client)
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_the_result_script_is_static_and_targets_the_origin(client):
    with client.get("/static/reader.js") as response:
        script = response.get_data(as_text=True)
    assert "window.opener.postMessage(message, origin)" in script
