"""`silta card`: the broker's operator CLI against a live issuing authority with SoftHSM2 cards."""

from __future__ import annotations

import json
import re
import threading

import pkcs11
import pytest
import requests
from click.testing import CliRunner
from werkzeug.serving import make_server

from card_mock.issuer import create_app as create_issuer
from card_mock.issuer.extensions import db as issuer_db
from card_mock.issuer.verifiers import OPERATOR_PERMISSIONS
from card_mock.issuer.verifiers import hash_api_key
from card_mock.token import Card
from card_mock.token import card_label
from card_mock.token.store import CARD_LABEL_PREFIX
from idp.cli import main
from tests.card_mock.support import AINO
from tests.card_mock.support import MIKKO
from tests.card_mock.support import READER_KEY
from tests.card_mock.support import issuer_config

pytestmark = pytest.mark.live
OPERATOR_ID, OPERATOR_KEY = "helsinki-operator", "operator-key-" + "o" * 32
INITIAL_PIN = "582046"


@pytest.fixture
def issuer(tmp_path):
    """The real issuer app, served on a free port, with an operator registered."""
    config = issuer_config(tmp_path / "issuer")
    config["VERIFIERS"] += [
        {
            "id": OPERATOR_ID,
            "api_key_sha256": hash_api_key(OPERATOR_KEY),
            "permissions": list(OPERATOR_PERMISSIONS),
        }
    ]
    server = make_server("127.0.0.1", 0, None, threaded=True)
    config["ISSUER_URL"] = f"http://127.0.0.1:{server.server_port}"
    app = create_issuer(config)
    server.app = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app
    server.shutdown()
    with app.app_context():
        issuer_db.engine.dispose()


@pytest.fixture
def silta(issuer):
    """Run `silta …` with the operator's settings in the environment."""
    env = {
        "SILTA_CARD_ISSUER_URL": issuer.config["ISSUER_URL"],
        "SILTA_CARD_OPERATOR_ID": OPERATOR_ID,
        "SILTA_CARD_OPERATOR_SECRET": OPERATOR_KEY,
    }

    def run(*args: str, stdin: str | None = None, **overrides: str | None):
        return CliRunner().invoke(main, list(args), input=stdin, env={**env, **overrides})

    return run


def tokens(issuer) -> list[str]:
    return issuer.extensions["card.issuer"].tokens.labels(CARD_LABEL_PREFIX)


def issued_serial(result) -> str:
    assert result.exit_code == 0, result.output
    return re.search(r"Issued card (\d{10}) to ", result.output).group(1)


def test_issue_reads_the_pin_from_stdin_and_sets_it_on_the_card(silta, issuer):
    serial = issued_serial(
        silta("card", "issue", "--holder", AINO.eid, "--pin-stdin", stdin="582046\n")
    )
    assert INITIAL_PIN not in silta("card", "list").output
    token = issuer.extensions["card.issuer"].tokens.find(card_label(serial))
    with Card.open(token, pin=INITIAL_PIN) as card:
        assert card.certificate() is not None
    with pytest.raises(pkcs11.PinIncorrect), Card.open(token, pin="1234"):
        pass


def test_issue_reads_the_pin_from_a_file(silta, tmp_path):
    pin_file = tmp_path / "pin-letter.txt"
    pin_file.write_text(INITIAL_PIN + "\n")
    result = silta("card", "issue", "--holder", MIKKO.eid, "--pin-file", str(pin_file))
    assert "Mikko Korhonen" in result.output and issued_serial(result)


def test_issue_as_json_names_the_card_for_scripts_and_never_the_pin(silta):
    result = silta(
        "card", "issue", "--holder", MIKKO.eid, "--pin-stdin", "--json", stdin=INITIAL_PIN + "\n"
    )
    assert result.exit_code == 0, result.output
    issued = json.loads(result.output)
    assert (issued["holder"], issued["name"], issued["status"]) == (
        MIKKO.eid,
        "Mikko Korhonen",
        "active",
    )
    listed = json.loads(silta("card", "list", "--json").output)
    assert [c["serial"] for c in listed] == [issued["serial"]]
    assert INITIAL_PIN not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--pin", INITIAL_PIN],  # a PIN is never an argument: argv is visible to every user
        [],
        ["--pin-stdin", "--pin-file", "pin.txt"],
    ],
    ids=["pin-argument", "no-pin", "two-sources"],
)
def test_the_pin_comes_from_exactly_one_private_source(silta, issuer, args):
    result = silta("card", "issue", "--holder", AINO.eid, *args, stdin=INITIAL_PIN + "\n")
    assert result.exit_code == 2
    assert tokens(issuer) == []


@pytest.mark.parametrize(
    ("holder", "pin", "message"),
    [
        (AINO.eid, "12", "The PIN must be 4 to 12 digits."),
        (AINO.eid, "", "The PIN must be 4 to 12 digits."),
        ("999999999A", INITIAL_PIN, "no holder with that eID number"),
    ],
)
def test_refused_issues_say_why_and_make_no_card(silta, issuer, holder, pin, message):
    result = silta("card", "issue", "--holder", holder, "--pin-stdin", stdin=pin + "\n")
    assert result.exit_code == 1 and message in result.output
    assert tokens(issuer) == []
    assert silta("card", "list", "--json").output.strip() == "[]"


def test_list_shows_every_card_with_status_and_filters_by_holder(silta):
    aino = issued_serial(silta("card", "issue", "--holder", AINO.eid, "--pin-stdin", stdin="1111"))
    mikko = issued_serial(
        silta("card", "issue", "--holder", MIKKO.eid, "--pin-stdin", stdin="2222")
    )
    listing = silta("card", "list").output
    assert f"{aino}  {AINO.eid}  active" in listing and f"{mikko}  {MIKKO.eid}  active" in listing
    only = silta("card", "list", "--holder", MIKKO.eid, "--json").output
    assert mikko in only and aino not in only


def test_revoke_a_lost_card(silta, issuer):
    serial = issued_serial(
        silta("card", "issue", "--holder", AINO.eid, "--pin-stdin", stdin="1111")
    )
    result = silta("card", "revoke", serial, "--lost")
    assert result.exit_code == 0 and f"Card {serial} revoked (status lost)." in result.output
    assert f"{serial}  {AINO.eid}  lost" in silta("card", "list").output
    again = silta("card", "revoke", serial)
    assert "was already revoked" in again.output


def test_reset_authorise_prints_a_one_time_code_the_bridge_redeems(silta, issuer):
    serial = issued_serial(
        silta("card", "issue", "--holder", AINO.eid, "--pin-stdin", stdin="1111")
    )
    unconfirmed = silta("card", "reset-authorise", serial)
    assert unconfirmed.exit_code == 2 and "--identity-checked" in unconfirmed.output
    result = silta("card", "reset-authorise", serial, "--identity-checked")
    assert result.exit_code == 0, result.output
    code = re.search(r"code for card \d{10}: (\w{4}-\w{4}-\w{4})", result.output).group(1)
    assert "PIN of their own choice" in result.output
    redeemed = requests.post(
        issuer.config["ISSUER_URL"] + "/api/reset-codes/verify",
        json={"card_serial": serial, "code": code},
        headers={"Authorization": f"Bearer {READER_KEY}"},
        timeout=10,
    )
    assert redeemed.status_code == 200 and redeemed.json()["verified"] is True


def test_a_revoked_card_cannot_be_reset(silta):
    serial = issued_serial(
        silta("card", "issue", "--holder", AINO.eid, "--pin-stdin", stdin="1111")
    )
    silta("card", "revoke", serial, "--lost")
    result = silta("card", "reset-authorise", serial, "--identity-checked")
    assert result.exit_code == 1 and "cannot be reset" in result.output


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SILTA_CARD_OPERATOR_SECRET": "wrong-key-" + "w" * 32}, "SILTA_CARD_OPERATOR_SECRET"),
        ({"SILTA_CARD_OPERATOR_SECRET": None}, "needs SILTA_CARD_OPERATOR_SECRET"),
        (
            {"SILTA_CARD_ISSUER_URL": None, "SILTA_CARD_OPERATOR_SECRET": None},
            "needs SILTA_CARD_ISSUER_URL, SILTA_CARD_OPERATOR_SECRET",
        ),
        ({"SILTA_CARD_ISSUER_URL": "http://127.0.0.1:9"}, "does not answer"),
    ],
    ids=["wrong-secret", "no-secret", "nothing-set", "issuer-down"],
)
def test_configuration_problems_are_named(silta, overrides, message):
    result = silta("card", "list", **overrides)
    assert result.exit_code == 1 and message in result.output


@pytest.mark.parametrize("serial", ["123", "../../api/holders", "１２３４５６７８９０"])
def test_malformed_serials_never_reach_the_issuer(silta, serial):
    result = silta("card", "revoke", serial)
    assert result.exit_code == 1 and "A card serial is ten digits" in result.output
