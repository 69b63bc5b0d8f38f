"""PIN tries, PIN change and unblock on real SoftHSM2 cards, with the real issuer's reset codes."""

from __future__ import annotations

import pkcs11
import pytest
from flask_babel import force_locale

from card_mock.reader import service
from card_mock.reader.errors import InvalidResetCode
from card_mock.reader.errors import WrongPin
from card_mock.token import Card
from card_mock.token import card_label

from .reader_fixtures import *  # noqa: F403  (the bridge's fixtures)
from .reader_support import BROKER_ORIGIN
from .reader_support import NEW_PIN
from .reader_support import change_pin
from .reader_support import handed_back
from .reader_support import sign
from .reader_support import unblock
from .reader_support import verify_web_eid
from .support import PIN

WRONG = "9999"


def state(bridge, serial: str):
    return bridge.extensions["silta_reader.reader"].states.load(serial)


def token_takes(parts, serial: str, pin: str) -> bool:
    """Whether the token itself accepts the PIN (C_Login directly, past the bridge's counter)."""
    try:
        with Card.open(parts.tokens.find(card_label(serial)), pin=pin):
            return True
    except pkcs11.exceptions.PinIncorrect:
        return False


@pytest.fixture
def logins(monkeypatch):
    """Record every C_Login with a user PIN that the bridge's service makes."""
    made: list[str] = []
    original = Card.open.__func__

    class Recording(Card):
        @classmethod
        def open(cls, token, *, pin=None, so_pin=None):
            if pin is not None:
                made.append(token.label)
            return original(cls, token, pin=pin, so_pin=so_pin)

    monkeypatch.setattr(service, "Card", Recording)
    return made


def lock(client, serial: str) -> None:
    for _ in range(3):
        sign(client, serial, WRONG)


def test_three_wrong_pins_lock_the_card(client, bridge, card, logins):
    first, _ = sign(client, card.serial, WRONG)
    assert first.status_code == 400
    assert "The PIN is wrong. 2 tries left" in first.get_data(as_text=True)
    second, _ = sign(client, card.serial, WRONG)
    assert "The PIN is wrong. 1 try left" in second.get_data(as_text=True)  # CLDR "one"
    assert state(bridge, card.serial).pin_tries_left == 1
    third, _ = sign(client, card.serial, WRONG)  # the third wrong try locks
    assert third.status_code == 409
    assert handed_back(third) == (
        BROKER_ORIGIN,
        {"type": "silta-reader:error", "code": "card_locked"},
    )
    assert 'href="/pin/unblock"' in third.get_data(as_text=True)  # how to unblock
    locked = state(bridge, card.serial)
    assert locked.pin_tries_left == 0 and locked.locked
    assert len(logins) == 3

    refused, _ = sign(client, card.serial, PIN)  # the right PIN, after the lock
    assert refused.status_code == 409
    assert handed_back(refused)[1] == {"type": "silta-reader:error", "code": "card_locked"}
    assert len(logins) == 3, "a locked card must refuse without C_Login"


def test_a_correct_pin_gives_the_tries_back(client, bridge, card):
    sign(client, card.serial, WRONG)
    sign(client, card.serial, WRONG)
    assert state(bridge, card.serial).pin_tries_left == 1
    response, challenge = sign(client, card.serial, PIN)
    verify_web_eid(handed_back(response)[1]["token"], BROKER_ORIGIN, challenge)
    assert state(bridge, card.serial).pin_tries_left == 3


def test_the_counter_survives_a_restart(make_bridge, card, tmp_path):
    first = make_bridge()
    sign(first.test_client(), card.serial, WRONG)
    again = make_bridge(tmp_path / "reader")
    assert state(again, card.serial).pin_tries_left == 2


def test_tries_left_are_shown_before_the_pin(client, card):
    sign(client, card.serial, WRONG)
    page = client.get("/").get_data(as_text=True)
    assert "2 of 3 tries left" in page
    lock(client, card.serial)
    assert "Locked" in client.get("/").get_data(as_text=True)


def test_api_status_counts_usable_cards(client, issue_card):
    first, _second = issue_card(), issue_card()
    assert client.get("/api/status").json == {"app": "silta-reader", "version": "1.0.0", "cards": 2}
    lock(client, first.serial)
    assert client.get("/api/status").json["cards"] == 1


def test_change_pin(client, bridge, card, parts):
    response = change_pin(client, card.serial, PIN, NEW_PIN)
    assert response.status_code == 200
    assert "Your PIN has been changed" in response.get_data(as_text=True)
    assert token_takes(parts, card.serial, NEW_PIN)
    assert not token_takes(parts, card.serial, PIN)
    refused, _ = sign(client, card.serial, PIN)
    assert refused.status_code == 400
    response, challenge = sign(client, card.serial, NEW_PIN)
    verify_web_eid(handed_back(response)[1]["token"], BROKER_ORIGIN, challenge)
    assert state(bridge, card.serial).pin_tries_left == 3


def test_change_with_a_wrong_pin_counts_a_try(client, bridge, card, parts):
    response = change_pin(client, card.serial, WRONG, NEW_PIN)
    assert response.status_code == 400
    assert "2 tries left" in response.get_data(as_text=True)
    assert state(bridge, card.serial).pin_tries_left == 2
    assert token_takes(parts, card.serial, PIN)


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        (NEW_PIN, "135790", "The new PINs are not the same"),
        ("12", "12", "Type a new PIN of 4 to 12 digits"),
        ("abcd", "abcd", "Type a new PIN of 4 to 12 digits"),
        ("1" * 13, "1" * 13, "Type a new PIN of 4 to 12 digits"),
    ],
)
def test_a_bad_new_pin_changes_nothing(client, bridge, card, parts, new, again, message):
    response = change_pin(client, card.serial, PIN, new, again)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert state(bridge, card.serial).pin_tries_left == 3
    assert token_takes(parts, card.serial, PIN)


def test_a_locked_card_cannot_change_its_pin(client, card, parts, logins):
    lock(client, card.serial)
    response = change_pin(client, card.serial, PIN, NEW_PIN)
    assert response.status_code == 409
    assert "Your card is locked" in response.get_data(as_text=True)
    assert len(logins) == 3 and token_takes(parts, card.serial, PIN)


def test_change_needs_its_csrf_token(client, card, parts):
    response = client.post(
        "/pin/change",
        data={"card": card.serial, "old_pin": PIN, "new_pin": NEW_PIN, "new_pin_again": NEW_PIN},
    )
    assert response.status_code == 400
    assert token_takes(parts, card.serial, PIN)


def test_unblock_with_a_desk_code_then_sign_in(make_bridge, card, live_issuer, desk_code):
    bridge = make_bridge(ISSUER_URL=live_issuer)
    client = bridge.test_client()
    lock(client, card.serial)
    response = unblock(client, card.serial, desk_code(card.serial))
    assert response.status_code == 200
    assert "Your card is unblocked" in response.get_data(as_text=True)
    unlocked = state(bridge, card.serial)
    assert unlocked.pin_tries_left == 3 and not unlocked.locked
    response, challenge = sign(client, card.serial, NEW_PIN)
    verify_web_eid(handed_back(response)[1]["token"], BROKER_ORIGIN, challenge)


def test_a_wrong_or_reused_reset_code_is_refused(make_bridge, card, parts, live_issuer, desk_code):
    bridge = make_bridge(ISSUER_URL=live_issuer)
    client = bridge.test_client()
    lock(client, card.serial)
    code = desk_code(card.serial)
    wrong = unblock(client, card.serial, "AAAA-BBBB-CCCC")
    assert wrong.status_code == 400
    assert "The reset code is wrong, already used or expired. 4 tries left" in wrong.get_data(
        as_text=True
    )
    assert state(bridge, card.serial).locked
    assert unblock(client, card.serial, code).status_code == 200
    reused = unblock(client, card.serial, code, new="111111")
    assert reused.status_code == 400
    assert token_takes(parts, card.serial, NEW_PIN)
    assert not token_takes(parts, card.serial, "111111")


def test_reset_code_tries_run_out(make_bridge, card, live_issuer, desk_code):
    bridge = make_bridge(ISSUER_URL=live_issuer, RESET_CODE_TRIES=2)
    client = bridge.test_client()
    lock(client, card.serial)
    for _ in range(2):
        assert unblock(client, card.serial, "AAAA-BBBB-CCCC").status_code == 400
    blocked = unblock(client, card.serial, desk_code(card.serial))
    assert blocked.status_code == 409
    assert "can no longer be unblocked" in blocked.get_data(as_text=True)
    assert state(bridge, card.serial).locked


def test_an_unreachable_authority_spends_no_try(client, bridge, card, parts):
    lock(client, card.serial)
    response = unblock(client, card.serial, "AAAA-BBBB-CCCC")
    assert response.status_code == 503
    assert "cannot be reached" in response.get_data(as_text=True)
    after = state(bridge, card.serial)
    assert after.reset_tries_left == 5 and after.locked
    assert token_takes(parts, card.serial, PIN)


def test_pin_pages_are_accessible_in_three_languages(client, card):
    for path in ("/pin/change", "/pin/unblock"):
        for lang in ("en", "fi", "ja"):
            html = client.get(path, query_string={"lang": lang}).get_data(as_text=True)
            assert f'<html lang="{lang}">' in html
            for pin_field in ("new_pin", "new_pin_again"):
                assert f'id="{pin_field}"' in html and f'<label for="{pin_field}">' in html
            assert 'autocomplete="off"' in html and 'inputmode="numeric"' in html
            assert 'name="csrf_token"' in html


@pytest.mark.parametrize(
    ("locale", "tries", "expected"),
    [
        ("en", 1, "1 try left"),
        ("en", 2, "2 tries left"),
        ("fi", 1, "1 yritys jäljellä"),
        ("fi", 2, "2 yritystä jäljellä"),
        ("ja", 1, "残り 1 回"),
    ],
)
def test_tries_left_take_each_languages_plural_form(bridge, locale, tries, expected):
    with bridge.test_request_context("/"), force_locale(locale):
        for error in (WrongPin(tries), InvalidResetCode(tries)):
            assert expected in str(error.message)
