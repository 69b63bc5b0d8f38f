"""The witness fails fast, with the setting named, on a configuration it cannot run."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from silta_common.tlog.keys import COSIGNATURE_V1
from silta_common.tlog.keys import SignerKey
from witness import config
from witness.cli import main
from witness.config import ConfigError
from witness.keys import key_path
from witness.keys import write_key


def test_outside_debug_the_operator_token_is_required(make_witness):
    with pytest.raises(ConfigError, match="WITNESS_OPERATOR_TOKEN is not set"):
        make_witness(TESTING=False, OPERATOR_TOKEN="")
    with pytest.raises(ConfigError, match="at least 32"):
        make_witness(OPERATOR_TOKEN="short")


def test_outside_debug_the_key_is_required(make_witness, tmp_path):
    with pytest.raises(ConfigError, match="silta-witness keys generate"):
        make_witness(TESTING=False, INSTANCE_PATH=str(tmp_path / "fresh"))


def test_a_key_of_another_name_is_refused(make_witness, tmp_path):
    instance = tmp_path / "named"
    write_key(key_path(instance), SignerKey.generate("someone.else/w", COSIGNATURE_V1))
    with pytest.raises(ConfigError, match=r"not a cosignature/v1 key named witness\.test/w1"):
        make_witness(INSTANCE_PATH=str(instance))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"keys": []}, "needs an origin"),
        ({"origin": "a/log", "keys": []}, "keys must list"),
        ({"origin": "a/log", "keys": ["nonsense"]}, "cannot be read"),
        ({"origin": "a/log", "keys": ["x"], "extra": 1}, "unknown fields"),
    ],
)
def test_bad_log_entries_are_refused(make_witness, entry, message):
    with pytest.raises(ConfigError, match=message):
        make_witness(LOGS=[entry])


def test_a_log_key_must_be_the_logs_own(make_witness, log_server):
    entry = log_server.entry() | {"origin": "another/log"}
    with pytest.raises(ConfigError, match="Ed25519 key named another/log"):
        make_witness(LOGS=[entry])
    with pytest.raises(ConfigError, match="configured twice"):
        make_witness(LOGS=[log_server.entry(), log_server.entry()])


def test_a_name_no_key_can_have_is_refused(make_witness):
    with pytest.raises(ConfigError, match="WITNESS_NAME cannot name a key"):
        make_witness(NAME="my witness")


def test_unknown_environment_settings_are_refused():
    with pytest.raises(ConfigError, match="WITNESS_NOPE"):
        config.load(environ={"WITNESS_NOPE": "1"})


def test_the_command_makes_a_key_once_and_prints_it(tmp_path, monkeypatch):
    monkeypatch.setenv("WITNESS_INSTANCE_PATH", str(tmp_path / "cli"))
    monkeypatch.setenv("WITNESS_NAME", "witness.test/cli")
    runner = CliRunner()
    made = runner.invoke(main, ["keys", "generate"])
    assert made.exit_code == 0 and "witness.test/cli+" in made.output
    assert (tmp_path / "cli" / "witness-key").stat().st_mode & 0o077 == 0
    assert runner.invoke(main, ["keys", "generate"]).exit_code != 0  # never over a key unasked
    monkeypatch.setenv("WITNESS_OPERATOR_TOKEN", "t" * 32)
    shown = runner.invoke(main, ["key"])
    assert shown.exit_code == 0 and shown.output.startswith("witness.test/cli+")
    listed = runner.invoke(main, ["alarms"])
    assert listed.exit_code == 0 and listed.output.strip() == "[]"
