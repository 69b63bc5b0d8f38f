"""The citizen's ID-card page: what it carries, what it may talk to, and when it is offered."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest

from idp.extensions import db
from idp.storage.models import CardChallenge
from idp.storage.models import now
from tests.support.flow import LOA2
from tests.support.flow import LOA3
from tests.support.translations import compile_catalogs

from .ic_card_support import READER
from .ic_card_support import authority_fixture  # noqa: F401 (fixture `authority`)
from .ic_card_support import card_app_fixture  # noqa: F401 (fixture `card_app`)
from .ic_card_support import card_fixture  # noqa: F401 (fixture `card`)


def test_the_page_carries_a_fresh_challenge_bound_to_the_login(card):
    challenge = card.start()
    assert len(challenge) == 44 and len(base64.b64decode(challenge, validate=True)) == 32
    with card.app.app_context():
        stored = db.session.get(CardChallenge, challenge)
        assert card.flow.interaction.endswith(stored.interaction_uid)
        assert 295 <= stored.expires_at - now() <= 300
        assert stored.used_at is None
    assert card.reload() != challenge  # every page load gets its own


def test_the_page_opens_the_bridge_with_the_brokers_origin_and_the_challenge(card):
    challenge = card.start(ui_locales="fi")
    html = card.page.get_data(as_text=True)
    sign_url = re.search(r'data-sign-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    parts = urlsplit(sign_url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{READER}/sign"
    assert parse_qs(parts.query) == {
        "origin": ["http://127.0.0.1:8400"],
        "challenge": [challenge],
        "lang": ["fi"],
    }
    assert f'data-reader-origin="{READER}"' in html
    assert f'data-status-url="{READER}/api/status"' in html


def test_only_the_card_page_may_connect_to_the_bridge(card):
    card.start()
    csp = card.page.headers["Content-Security-Policy"]
    assert f"connect-src 'self' {READER};" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert READER not in card.flow.method_choice().headers["Content-Security-Policy"]


def test_the_card_page_and_the_method_choice_let_their_forms_lead_on_to_the_service(card):
    # CSP 3 §6.4.1: form-action covers the redirects after a post too, and the card's answer
    # (with a remembered consent, or in a step-up) and "Cancel" both end at the service.
    card.start()
    target = urlsplit(card.flow.rp.redirect_uri)
    expected = f"form-action 'self' {target.scheme}://{target.netloc};"
    assert expected in card.page.headers["Content-Security-Policy"]
    assert expected in card.flow.method_choice().headers["Content-Security-Policy"]


def test_the_script_is_a_static_file_and_there_is_a_noscript_explanation(card):
    card.start()
    html = card.page.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 1
    attributes, body = scripts[0]
    assert 'src="/static/ic_card.js"' in attributes and "nonce=" in attributes
    assert body.strip() == ""
    nonce = re.search(r'nonce="([^"]+)"', attributes).group(1)
    assert f"'nonce-{nonce}'" in card.page.headers["Content-Security-Policy"]
    assert "<noscript>" in html and "JavaScript" in html
    script = card.flow.browser.get("/static/ic_card.js")
    assert script.status_code == 200 and "event.origin !== readerOrigin" in script.text
    script.close()


def test_the_page_has_a_csrf_protected_form_and_a_way_back(card):
    card.start()
    html = card.page.get_data(as_text=True)
    assert 'name="csrf_token"' in html
    assert f'href="{card.flow.interaction}"' in html
    assert '<html lang="en">' in html and '<main id="main"' in html


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("fi", "Tunnistaudu henkilökortilla"), ("ja", "IDカードで本人確認")],
)
def test_the_page_speaks_finnish_and_japanese(card, lang, heading):
    compile_catalogs()
    card.start(ui_locales=lang)
    html = card.page.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert heading in html


def test_a_service_asking_for_high_is_offered_the_card(card):
    card.flow.authorize(acr_values=LOA3)
    html = card.flow.method_choice().get_data(as_text=True)
    assert "/method/id-card/" in html and "ID card" in html


def test_a_substantial_login_may_also_use_the_card(card):
    card.flow.authorize(acr_values=LOA2)
    assert "/method/id-card/" in card.flow.method_choice().get_data(as_text=True)


@pytest.fixture
def authority_down(card, monkeypatch):
    method = card.app.extensions["silta.methods"].get("id-card")
    monkeypatch.setattr(method.authority, "url", "http://127.0.0.1:9")
    method.authority.probe()
    yield card
    monkeypatch.undo()
    method.authority.probe()


def test_an_unreachable_authority_is_shown_as_unavailable(authority_down):
    card = authority_down
    card.flow.authorize()
    html = card.flow.method_choice().get_data(as_text=True)
    assert "/method/id-card/" not in html
    assert re.search(r'class="methods unavailable">\s*<li>ID card</li>', html)


def test_starting_while_the_authority_is_down_explains_and_stores_nothing(authority_down):
    card = authority_down
    card.flow.authorize()
    response = card.flow.browser.get(f"{card.flow.interaction}/method/id-card/")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<code>card_authority_unavailable</code>" in html and "try again" in html
    with card.app.app_context():
        assert db.session.execute(db.select(CardChallenge)).first() is None


def test_a_login_that_asks_for_too_many_challenges_is_stopped(card):
    card.start()
    for _ in range(19):
        card.reload()
    response = card.flow.browser.get(f"{card.flow.interaction}/method/id-card/")
    assert response.status_code == 400
    assert "<code>card_too_many_attempts</code>" in response.get_data(as_text=True)


def test_the_continue_address_is_not_a_page_of_its_own(card):
    card.start()
    response = card.flow.browser.get(f"{card.flow.interaction}/method/id-card/continue")
    assert response.status_code == 302 or response.status_code == 303
    assert response.headers["Location"].endswith("/method/id-card/")


def test_expired_challenges_are_swept_by_the_command_not_by_requests(card):
    from idp.ops import database

    live = card.start()
    stale = card.reload()
    with card.app.app_context():
        db.session.get(CardChallenge, stale).expires_at = now() - 10
        db.session.commit()
        assert database.sweep(grace=0)["card_challenges"] == 1
        assert db.session.get(CardChallenge, live) is not None
        assert db.session.get(CardChallenge, stale) is None
