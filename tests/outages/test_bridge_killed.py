"""The citizen's reader bridge killed mid-signature while others log in (issue #7, "Outages").

The bridge runs as a child process and is SIGKILLed after the citizen's PIN opened the card and
the card signed, before the answer left the bridge. Bank logins go on completing meanwhile. The
broker's card page asks the bridge's /api/status before it opens the bridge's window (its
script shows "the reader app is not running" when that fails): here that request finds no
bridge. The bridge, started again on its instance, recovers the card by itself: the PIN try that
reached the card stays spent (as on a chip), the PIN still works, and the citizen's retry logs
in with a fresh challenge. The challenge of the killed attempt cannot be used afterwards.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time

import pytest
import requests

from tests.card_mock.support import AINO
from tests.card_mock.support import PIN
from tests.outages import ledger
from tests.outages.card_citizen import LOA3
from tests.outages.card_citizen import ReaderWindow
from tests.outages.card_citizen import card_page
from tests.outages.card_citizen import error_code
from tests.outages.card_citizen import handed_back
from tests.outages.card_citizen import open_card_page
from tests.outages.card_citizen import post_token
from tests.outages.load import Load
from tests.outages.load import bank_login
from tests.support.citizen import Citizen
from tests.support.citizen import finish

pytestmark = pytest.mark.live
HOLD_AT = "signed"  # the card has signed; the Web eID token has not left the bridge
MIN_BANK_LOGINS_WHILE_DEAD = 5


def held_bridge(marker) -> list[str]:
    """The command of a bridge that hangs at HOLD_AT in its first signature."""
    return [sys.executable, "-m", "tests.outages.bridge_child", HOLD_AT, str(marker)]


def wait_for_file(path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"the bridge never reached {HOLD_AT!r}"
        time.sleep(0.05)


def status(world, page) -> requests.Response:
    """What the card page's script asks first: the bridge's status, as the broker's origin."""
    return requests.get(page.status_url, headers={"Origin": world.fed.broker_url}, timeout=5)


def test_bridge_killed_mid_sign_recovers_and_the_retry_logs_in(
    world, cards, rp, bank_citizens, tmp_path
):
    serial, marker = cards["aino"], tmp_path / "held"
    world.bridge.stop()
    world.bridge.start(held_bridge(marker))
    held = True
    load = Load()
    for bank_id, customer in bank_citizens:
        load.run(bank_login, world.fed, rp, bank_id, customer)
    try:
        citizen = Citizen(world.fed, rp)
        citizen.authorize()
        first = card_page(open_card_page(citizen))
        window = ReaderWindow()
        sign_page = window.open(first.sign_url)
        assert "3 of 3 tries left" in sign_page.text
        answer: dict = {}

        def type_pin() -> None:
            try:
                answer["response"] = window.submit(first.sign_url, sign_page, serial, PIN)
            except requests.RequestException as error:
                answer["error"] = error

        pin = threading.Thread(target=type_pin)
        pin.start()
        wait_for_file(marker)
        world.bridge.kill()
        killed, held = time.monotonic(), False
        pin.join(30)
        # The PIN went in and nothing came back: the bridge's window gets no answer at all.
        assert isinstance(answer.get("error"), requests.ConnectionError), answer
        window.close()
        assert 'data-state="no-bridge"' in first.response.text
        with pytest.raises(requests.ConnectionError):
            status(world, first)
        restarting = load.wait_for(
            "bank logins while the bridge is dead",
            lambda: load.completed("bank", since=killed) >= MIN_BANK_LOGINS_WHILE_DEAD,
        )

        world.bridge.start()  # `silta-card reader run` on the same instance: it recovers first
        assert world.bridge.unfinished() == []
        assert list((world.bridge.instance / "snapshots").iterdir()) == []
        after = world.bridge.card_state(serial)
        assert (after.pin_tries_left, after.locked) == (2, False)  # the try reached the card
        answered = status(world, first)
        assert answered.json()["app"] == "silta-reader" and answered.json()["cards"] >= 1
        assert answered.headers["Access-Control-Allow-Origin"] == world.fed.broker_url

        # The citizen tries again from the card page: a fresh challenge, the same PIN.
        again = card_page(open_card_page(citizen))
        assert again.challenge != first.challenge
        window = ReaderWindow()
        retry_page = window.open(again.sign_url)
        assert "2 of 3 tries left" in retry_page.text
        signed = window.submit(again.sign_url, retry_page, serial, PIN)
        assert signed.status_code == 200, signed.text[:300]
        claims = finish(citizen, post_token(citizen, again, handed_back(signed.text)[1]["token"]))
        assert claims["acr"] == LOA3 and claims["urn:oid:1.2.246.21"] == AINO.national_id
        assert world.bridge.card_state(serial).pin_tries_left == 3

        # The killed attempt's challenge, now properly signed by the card, opens nothing.
        stale = window.sign(first.sign_url, serial)
        window.close()
        finished = post_token(citizen, first, stale)
        assert (finished.status_code, error_code(finished)) == (410, "interaction_expired")
        citizen.authorize(prompt="login")  # a new login in the same browser
        fresh = card_page(open_card_page(citizen))
        replayed = post_token(citizen, dataclasses.replace(fresh, challenge=first.challenge), stale)
        assert (replayed.status_code, error_code(replayed)) == (400, "card_challenge_unknown")
    finally:
        load.stop()
        if held:  # failed before the kill: the next test needs a bridge that does not hang
            world.bridge.stop()
        if world.bridge.process is None:
            world.bridge.start()

    banks = load.attempts("bank")
    assert [a.problem for a in banks if not a.completed] == []
    assert load.completed("bank", since=killed, until=restarting) >= MIN_BANK_LOGINS_WHILE_DEAD
    ledger.check_logins_stored(world.broker, ledger.CARD, 1)
    ledger.check_logins_stored(world.broker, ledger.BANKS, len(banks))
    ledger.check_card_holders(world.broker, {AINO.eid})
    ledger.check_nothing_half_made(world.broker)
