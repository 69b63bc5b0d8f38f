"""The card authority's OCSP responder down while citizens log in (issue #7, "Outages").

The authority serves the holder look-up, its health and OCSP (the certificates' AIA names it).
Fail closed (the default, docs/methods.md "ID-card login", step 8): while it is down,
every card login ends on the readable "could not be checked" page, never a 500, and stores
nothing; bank logins go on completing at the same time; the method choice lists the card as
temporarily unavailable within the health interval; when the authority is back, card logins
complete again with no restart of the broker. With SILTA_CARD_OCSP_FAIL_OPEN on, the documented
policy: a card is accepted unchecked (`revocation: "not_checked"` in `card.verified`) while the
responder cannot be reached, and only then; the holder look-up is never skipped.
"""

from __future__ import annotations

import re
import time

import pytest
import requests

from card_mock.issuer.cards import revoke
from card_mock.issuer.holders import DEMO_HOLDERS
from tests.card_mock.support import AINO
from tests.card_mock.support import MIKKO
from tests.outages import ledger
from tests.outages.card_citizen import ReaderWindow
from tests.outages.card_citizen import card_page
from tests.outages.card_citizen import error_code
from tests.outages.card_citizen import explanation
from tests.outages.card_citizen import open_card_page
from tests.outages.card_citizen import post_token
from tests.outages.load import Load
from tests.outages.load import bank_login
from tests.outages.load import card_login
from tests.support.citizen import Citizen

pytestmark = pytest.mark.live
# The flip is seen at most one interval after the last check, plus one refused connection;
# the slack covers a machine whose cores run several test suites at once.
HEALTH_SLACK = 3.0
OUTAGE_SECONDS = 6.0
MIN_BANK_LOGINS_IN_OUTAGE = 5
UNAVAILABLE = {"card_ocsp_unavailable", "card_authority_unavailable"}
EXPLAINED = "could not be checked right now"
UNAVAILABLE_LIST = re.compile(r'<ul class="methods unavailable">(.*?)</ul>', re.S)


def card_on_method_choice(fed, rp) -> str:
    """How a new login's method choice offers the ID card: "available" or "unavailable"."""
    citizen = Citizen(fed, rp)
    try:
        page = citizen.authorize()
    finally:
        citizen.session.close()
    assert page.status_code == 200, page.text[:300]
    if "/method/id-card/" in page.text:
        return "available"
    listed = UNAVAILABLE_LIST.search(page.text)
    assert listed and "ID card" in listed.group(1), page.text
    return "unavailable"


def signed_on_card_page(fed, rp, serial: str):
    """A citizen on the card page whose bridge has signed its challenge; not posted yet."""
    citizen, window = Citizen(fed, rp), ReaderWindow()
    citizen.authorize()
    page = card_page(open_card_page(citizen))
    try:
        return citizen, page, window.sign(page.sign_url, serial)
    finally:
        window.close()


def readyz_card(fed) -> str:
    return requests.get(fed.broker_url + "/readyz", timeout=10).json()["methods"]["id-card"]


def test_authority_down_under_load_fails_closed_and_recovers(world, cards, rp, bank_citizens):
    interval = world.card_settings["CARD_HEALTH_INTERVAL"]
    load = Load()
    for bank_id, customer in bank_citizens:
        load.run(bank_login, world.fed, rp, bank_id, customer)
    for name in ("aino", "mikko"):
        load.run(card_login, world.fed, rp, cards[name])
    try:
        load.wait_for(
            "bank and card logins before the outage",
            lambda: load.completed("bank") >= 2 and load.completed("card") >= 2,
        )
        in_flight, page, token = signed_on_card_page(world.fed, rp, cards["aino"])
        world.authority.stop()
        down = time.monotonic()
        # Signed before, posted during: the responder does not answer, so the login is refused.
        refused = post_token(in_flight, page, token)
        assert (refused.status_code, error_code(refused)) == (400, "card_ocsp_unavailable")
        assert EXPLAINED in explanation(refused)
        flipped = load.wait_for(
            "the card listed as unavailable",
            lambda: card_on_method_choice(world.fed, rp) == "unavailable",
            timeout=interval + HEALTH_SLACK,
        )
        assert flipped - down <= interval + HEALTH_SLACK
        assert readyz_card(world.fed) == "down"
        time.sleep(max(0.0, down + OUTAGE_SECONDS - time.monotonic()))
        world.authority.start()  # the same port; the broker is not touched
        up = time.monotonic()
        load.wait_for(
            "the card offered again",
            lambda: card_on_method_choice(world.fed, rp) == "available",
            timeout=interval + HEALTH_SLACK,
        )
        load.wait_for(
            "card logins completing after the outage",
            lambda: sum(a.completed and a.started >= up for a in load.attempts("card")) >= 2,
        )
    finally:
        load.stop()

    banks, card_logins = load.attempts("bank"), load.attempts("card")
    assert [a.problem for a in banks if not a.completed] == []
    assert load.completed("bank", since=down, until=up) >= MIN_BANK_LOGINS_IN_OUTAGE
    # Before, during and after: a card login completes or is refused on the readable page.
    assert [a for a in card_logins if not (a.completed or a.refused(UNAVAILABLE))] == []
    assert all(EXPLAINED in a.explanation for a in card_logins if not a.completed)
    during = [a for a in card_logins if a.within(down, up)]
    assert during and not any(a.completed for a in during)
    completed_cards = sum(a.completed for a in card_logins)
    ledger.check_logins_stored(world.broker, ledger.CARD, completed_cards)
    ledger.check_logins_stored(world.broker, ledger.BANKS, len(banks))
    ledger.check_card_holders(world.broker, {AINO.eid, MIKKO.eid})
    ledger.check_nothing_half_made(world.broker)


def completes(fed, rp, serial: str) -> None:
    attempt = card_login(fed, rp, serial)
    assert attempt.completed, attempt


def verified(world) -> list[str]:
    """The `revocation` of each card.verified audit event of the second broker, in order."""
    return [e["revocation"] for e in world.audit_events("alternate", "card.verified")]


def test_fail_open_accepts_cards_unchecked_only_while_the_responder_is_down(world, cards, rp):
    helmi = DEMO_HOLDERS[2]
    serial = world.issue_card(helmi)
    settings = dict(CARD_OCSP_FAIL_OPEN=True, CARD_OCSP_URL=world.responder.url + "/ocsp")
    with world.broker_with(**settings) as fed:
        completes(fed, rp, serial)  # the responder answers: checked
        world.responder.stop()
        try:
            completes(fed, rp, serial)  # accepted, not checked
            with world.issuer.app_context():
                revoke(serial)  # reported lost now: nobody can tell while the responder is down
            completes(fed, rp, serial)
        finally:
            world.responder.start()
        assert verified(world) == ["good", "not_checked", "not_checked"]
        refused = card_login(fed, rp, serial)  # the responder answers again: revoked
        assert refused.refused({"card_revoked"}), refused
        # Fail-open covers OCSP only: without the holder look-up there is no login.
        citizen, page, token = signed_on_card_page(fed, rp, cards["aino"])
        world.responder.stop()
        world.authority.stop()
        try:
            refused = post_token(citizen, page, token)
        finally:
            world.authority.start()
            world.responder.start()
        assert (refused.status_code, error_code(refused)) == (400, "card_authority_unavailable")
        assert EXPLAINED in explanation(refused)
        assert verified(world) == ["good", "not_checked", "not_checked"]
    ledger.check_logins_stored(world.broker, ledger.CARD, 3)
    ledger.check_card_holders(world.broker, {helmi.eid})
    ledger.check_nothing_half_made(world.broker)
