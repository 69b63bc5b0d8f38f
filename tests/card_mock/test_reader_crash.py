"""The bridge killed at every step of a PIN try, a PIN change and an unblock.

A child process runs the operation on a real SoftHSM2 card and is SIGKILLed at a checkpoint;
the bridge is then started again on the same instance, and its start-up recovery must leave
the card working with exactly the old or the new PIN, and its counters consistent: a try that
may have reached the card stays spent, and nothing is left half-done.
"""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
from pathlib import Path

import pkcs11
import pytest

from card_mock.reader.service import CHANGE_PIN
from card_mock.reader.service import SIGN
from card_mock.reader.service import STEPS
from card_mock.reader.service import UNBLOCK
from card_mock.token import Card
from card_mock.token import card_label

from .reader_fixtures import *  # noqa: F403  (the bridge's fixtures)
from .reader_support import BROKER_ORIGIN
from .reader_support import NEW_PIN
from .reader_support import handed_back
from .reader_support import new_challenge
from .reader_support import reader_config
from .reader_support import sign
from .reader_support import unblock
from .reader_support import verify_web_eid
from .support import PIN

ROOT = Path(__file__).resolve().parents[2]
WRONG = "9999"


def run_until_killed(tmp_path: Path, config: dict, step: str, **plan) -> None:
    """Start the child on the bridge's instance, wait for it at `step`, SIGKILL it."""
    plan_path = tmp_path / f"plan-{step}.json"
    plan_path.write_text(json.dumps({"config": config, "step": step, **plan}))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.card_mock.reader_crash_child", str(plan_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 60)
        assert ready, "the child never reached its checkpoint"
        assert child.stdout.readline().strip() == f"AT {step}"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        child.stdout.close()


def token_takes(parts, serial: str, pin: str) -> bool:
    """Whether the token itself accepts the PIN (C_Login directly, past the bridge's counter)."""
    try:
        with Card.open(parts.tokens.find(card_label(serial)), pin=pin):
            return True
    except pkcs11.exceptions.PinIncorrect:
        return False


def recovered(make_bridge, tmp_path):
    """Start the bridge again on the killed one's instance; check nothing is left open."""
    bridge = make_bridge(tmp_path / "reader")
    reader = bridge.extensions["silta_reader.reader"]
    assert reader.states.unfinished() == []
    assert list((tmp_path / "reader" / "snapshots").iterdir()) == []
    return bridge, reader


def signs_with(client, serial: str, pin: str) -> None:
    response, challenge = sign(client, serial, pin)
    assert response.status_code == 200, response.get_data(as_text=True)
    verify_web_eid(handed_back(response)[1]["token"], BROKER_ORIGIN, challenge)


@pytest.mark.parametrize("step", STEPS[SIGN])
def test_killed_pin_try(make_bridge, parts, card, tmp_path, step):
    config = reader_config(tmp_path / "reader", parts.tokens.folder)
    make_bridge(tmp_path / "reader")
    run_until_killed(
        tmp_path,
        config,
        step,
        operation=SIGN,
        serial=card.serial,
        pin=PIN,
        origin=BROKER_ORIGIN,
        challenge=new_challenge(),
    )
    bridge, reader = recovered(make_bridge, tmp_path)
    after = reader.states.load(card.serial)
    # A try that may have reached the card stays spent; only a committed one gave tries back.
    assert after.pin_tries_left == (3 if step == "committed" else 2)
    assert not after.locked
    assert token_takes(parts, card.serial, PIN)
    signs_with(bridge.test_client(), card.serial, PIN)
    assert reader.states.load(card.serial).pin_tries_left == 3


def test_killed_last_try_leaves_the_card_locked(make_bridge, parts, card, tmp_path):
    """Killing the bridge during the last try cannot buy another guess."""
    first = make_bridge(tmp_path / "reader")
    client = first.test_client()
    sign(client, card.serial, WRONG)
    sign(client, card.serial, WRONG)
    config = reader_config(tmp_path / "reader", parts.tokens.folder)
    run_until_killed(
        tmp_path,
        config,
        "logged_in",
        operation=SIGN,
        serial=card.serial,
        pin=PIN,
        origin=BROKER_ORIGIN,
        challenge=new_challenge(),
    )
    _bridge, reader = recovered(make_bridge, tmp_path)
    after = reader.states.load(card.serial)
    assert after.pin_tries_left == 0 and after.locked
    assert token_takes(parts, card.serial, PIN)  # locked by the bridge, not broken


@pytest.mark.parametrize("step", STEPS[CHANGE_PIN])
def test_killed_pin_change(make_bridge, parts, card, tmp_path, step):
    config = reader_config(tmp_path / "reader", parts.tokens.folder)
    make_bridge(tmp_path / "reader")
    run_until_killed(
        tmp_path,
        config,
        step,
        operation=CHANGE_PIN,
        serial=card.serial,
        pin=PIN,
        new_pin=NEW_PIN,
    )
    bridge, reader = recovered(make_bridge, tmp_path)
    after = reader.states.load(card.serial)
    changed = step == "committed"
    # pin_set: the token had the new PIN, but the change was not committed: the copy is back.
    assert token_takes(parts, card.serial, NEW_PIN) is changed
    assert token_takes(parts, card.serial, PIN) is not changed
    assert after.pin_tries_left == (3 if changed else 2) and not after.locked
    signs_with(bridge.test_client(), card.serial, NEW_PIN if changed else PIN)


@pytest.mark.parametrize("step", STEPS[UNBLOCK])
def test_killed_unblock(make_bridge, parts, card, tmp_path, live_issuer, desk_code, step):
    config = reader_config(tmp_path / "reader", parts.tokens.folder, ISSUER_URL=live_issuer)
    locker = make_bridge(tmp_path / "reader", ISSUER_URL=live_issuer).test_client()
    for _ in range(3):
        sign(locker, card.serial, WRONG)
    run_until_killed(
        tmp_path,
        config,
        step,
        operation=UNBLOCK,
        serial=card.serial,
        code=desk_code(card.serial),
        new_pin=NEW_PIN,
    )
    bridge, reader = recovered(make_bridge, tmp_path)
    after = reader.states.load(card.serial)
    client = bridge.test_client()
    if step == "committed":
        assert after.pin_tries_left == 3 and not after.locked and after.reset_tries_left == 5
        assert token_takes(parts, card.serial, NEW_PIN)
    else:  # as before: still locked, the old PIN on the token, one reset try spent
        assert after.pin_tries_left == 0 and after.locked and after.reset_tries_left == 4
        assert token_takes(parts, card.serial, PIN)
        assert not token_takes(parts, card.serial, NEW_PIN)
        # The citizen gets a new code at the desk and unblocks: the card was never broken.
        bridge = make_bridge(tmp_path / "reader", ISSUER_URL=live_issuer)
        client = bridge.test_client()
        assert unblock(client, card.serial, desk_code(card.serial)).status_code == 200
    signs_with(client, card.serial, NEW_PIN)
