"""`silta-card`: set up the CA, seed holders, issue (PIN from stdin or a file), list, revoke."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from card_mock.cli import main

from .support import AINO


@pytest.fixture
def run(tmp_path):
    runner = CliRunner(env={"CARD_INSTANCE_PATH": str(tmp_path / "issuer")})

    def invoke(*args: str, stdin: str | None = None, ok: bool = True):
        result = runner.invoke(main, list(args), input=stdin)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return invoke


def issued_serials(run) -> dict[str, str]:
    return {
        row["serial"]: row["status"] for row in json.loads(run("card", "list", "--json").output)
    }


def test_card_lifecycle(run, tmp_path):
    assert "6 holders added" in run("holders", "seed").output
    assert "Created" in run("issuer", "init").output
    assert "Already present" in run("issuer", "init").output
    output = run("card", "issue", "--holder", AINO.eid, "--pin-stdin", stdin="2468\n").output
    assert "2468" not in output
    (serial,) = issued_serials(run)
    assert f"token silta-card-{serial}" in output
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text("1357\n")
    run("card", "issue", "--holder", AINO.eid, "--pin-file", str(pin_file))
    assert len(issued_serials(run)) == 2
    code = run("card", "reset-authorise", serial).output.strip()
    assert len(code) == 14 and code.count("-") == 2
    assert "revoked." in run("card", "revoke", serial).output
    assert issued_serials(run)[serial] == "revoked"
    assert "already revoked" in run("card", "revoke", serial).output
    refused = run("card", "reset-authorise", serial, ok=False)
    assert refused.exit_code != 0 and "revoked" in refused.output


def test_a_pin_is_never_a_command_line_argument(run):
    assert run("card", "issue", "--holder", AINO.eid, "--pin", "1234", ok=False).exit_code == 2
    missing = run("card", "issue", "--holder", AINO.eid, ok=False)
    assert missing.exit_code == 2 and "--pin-file or --pin-stdin" in missing.output


def test_issue_needs_the_ca_first(run):
    run("holders", "seed")
    result = run("card", "issue", "--holder", AINO.eid, "--pin-stdin", stdin="1234\n", ok=False)
    assert result.exit_code == 1 and "silta-card issuer init" in result.output


def test_unknown_card(run):
    assert run("card", "revoke", "1000000000", ok=False).exit_code == 1


def test_hash_key_rejects_short_keys(run):
    assert run("hash-key", stdin="short\n", ok=False).exit_code == 1
    assert len(run("hash-key", stdin="k" * 40 + "\n").output.strip()) == 64
