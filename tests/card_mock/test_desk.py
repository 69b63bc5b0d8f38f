"""The PIN-reset desk and the bridge's reset-code API: one-time codes, never a PIN."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from card_mock.issuer import cards
from card_mock.issuer import reset_codes
from card_mock.issuer.card_admin import so_pin_for
from card_mock.issuer.models import ResetAuthorisation
from card_mock.token import Card
from card_mock.token import card_label

from .support import BROKER_KEY
from .support import OFFICIAL_ID
from .support import OFFICIAL_PASSWORD
from .support import READER_KEY
from .support import csrf_token

CODE = re.compile(rb'<output id="reset-code">([0-9A-Z-]+)</output>')
PIN_FIELD = re.compile(r"<input[^>]*(pin|PIN)[^>]*>|inputmode=\"numeric\"")


def log_in(browser, password: str = OFFICIAL_PASSWORD):
    page = browser.get("/desk/login")
    return browser.post(
        "/desk/login",
        data={
            "csrf_token": csrf_token(page.data),
            "official_id": OFFICIAL_ID,
            "password": password,
        },
    )


def authorise(browser, serial: str, identity_checked: bool = True):
    page = browser.get("/desk/")
    data = {"csrf_token": csrf_token(page.data), "card_serial": serial}
    if identity_checked:
        data["identity_checked"] = "y"
    return browser.post("/desk/", data=data)


def verify(browser, serial: str, code: str, key: str = READER_KEY):
    return browser.post(
        "/api/reset-codes/verify",
        json={"card_serial": serial, "code": code},
        headers={"Authorization": f"Bearer {key}"},
    )


@pytest.fixture
def desk(browser):
    assert log_in(browser).status_code == 302
    return browser


def test_desk_needs_an_official_login(browser):
    response = browser.get("/desk/")
    assert response.status_code == 302 and response.location.endswith("/desk/login")
    assert log_in(browser, "wrong password").status_code == 401
    assert browser.get("/desk/").status_code == 302


def test_login_needs_its_csrf_token(browser):
    response = browser.post(
        "/desk/login", data={"official_id": OFFICIAL_ID, "password": OFFICIAL_PASSWORD}
    )
    assert response.status_code == 400
    assert browser.get("/desk/").status_code == 302


def test_authorisation_needs_its_csrf_token(desk, issue_card, ctx):
    card = issue_card()
    response = desk.post("/desk/", data={"card_serial": card.serial, "identity_checked": "y"})
    assert response.status_code == 400
    assert ctx.scalar(sa.select(sa.func.count()).select_from(ResetAuthorisation)) == 0


def test_identity_check_must_be_confirmed(desk, issue_card):
    response = authorise(desk, issue_card().serial, identity_checked=False)
    assert response.status_code == 400 and CODE.search(response.data) is None


def test_a_code_verifies_once_and_releases_the_so_pin(desk, issue_card, parts):
    card = issue_card()
    response = authorise(desk, card.serial)
    assert response.status_code == 200
    code = CODE.search(response.data).group(1).decode()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    first = verify(desk, card.serial, code.lower().replace("-", " "))  # typed loosely
    assert first.status_code == 200
    assert first.json["verified"] is True
    so_pin = first.json["so_pin"]
    assert so_pin == so_pin_for(parts.admin_key, card.serial)
    with Card.open(parts.tokens.find(card_label(card.serial)), so_pin=so_pin) as opened:
        opened.set_initial_pin("5678")  # what the bridge will do with the citizen's new PIN
    second = verify(desk, card.serial, code)
    assert second.status_code == 400 and second.json == {"error": "invalid_code"}


def test_code_is_bound_to_its_card(desk, issue_card):
    first, other = issue_card(), issue_card()
    code = CODE.search(authorise(desk, first.serial).data).group(1).decode()
    assert verify(desk, other.serial, code).status_code == 400
    assert verify(desk, first.serial, code).status_code == 200


def test_only_the_reader_may_verify_codes(desk, issue_card):
    card = issue_card()
    code = CODE.search(authorise(desk, card.serial).data).group(1).decode()
    assert verify(desk, card.serial, code, key=BROKER_KEY).status_code == 403
    assert (
        desk.post(
            "/api/reset-codes/verify", json={"card_serial": card.serial, "code": code}
        ).status_code
        == 401
    )
    assert verify(desk, card.serial, code).status_code == 200


def test_code_expires(issuer_app, issue_card, ctx):
    card = issue_card()
    code = reset_codes.authorise(cards.load_card(card.serial), OFFICIAL_ID, hours=24)
    authorisation = ctx.scalars(sa.select(ResetAuthorisation)).one()
    assert authorisation.expires_at - authorisation.created_at == 24 * 3600
    assert code.replace("-", "") not in authorisation.code_hash
    authorisation.expires_at = authorisation.created_at - 1
    ctx.commit()
    assert reset_codes.consume(card.serial, code) is False


def test_a_new_authorisation_ends_the_previous_code(issue_card, ctx):
    card = cards.load_card(issue_card().serial)
    old = reset_codes.authorise(card, OFFICIAL_ID, hours=24)
    new = reset_codes.authorise(card, OFFICIAL_ID, hours=24)
    assert reset_codes.consume(card.serial, old) is False
    assert reset_codes.consume(card.serial, new) is True


def test_a_revoked_card_is_not_reset(desk, issue_card, ctx):
    card = issue_card()
    cards.revoke(card.serial)
    response = authorise(desk, card.serial)
    assert response.status_code == 409 and CODE.search(response.data) is None


def test_unknown_card(desk):
    assert authorise(desk, "1000000000").status_code == 404


def test_logout(desk):
    page = desk.get("/desk/")
    assert desk.post("/desk/logout", data={"csrf_token": csrf_token(page.data)}).status_code == 302
    assert desk.get("/desk/").status_code == 302


def test_no_page_asks_for_a_pin(desk, issue_card):
    card = issue_card()
    pages = [desk.get(path) for path in ("/", "/lost", "/desk/login", "/desk/")]
    pages.append(authorise(desk, card.serial))
    for page in pages:
        html = page.get_data(as_text=True)
        assert PIN_FIELD.search(html) is None
        assert '<html lang="' in html
        assert page.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        for field in re.findall(r'<input[^>]*id="([^"]+)"', html):
            if field != "csrf_token":
                assert f'<label for="{field}">' in html, f"{field} has no label"
