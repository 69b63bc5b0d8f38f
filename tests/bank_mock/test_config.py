"""Settings: the load order, BANK_ID from the environment, and failing fast."""

from __future__ import annotations

import json

import pytest

from bank_mock import config
from bank_mock import create_app
from bank_mock.config import ConfigError


def test_defaults_follow_the_bank():
    values = config.load({"BANK_ID": "kide"}, environ={})
    assert values["PORT"] == 8412
    assert values["ISSUER"] == "http://127.0.0.1:8412"
    assert values["INSTANCE_PATH"].endswith("instance/bank-kide")
    assert values["LOCKOUT_SECONDS"] == 900
    assert values["MAX_FAILURES"] == 5
    assert values["RATE_LIMIT_PER_MINUTE"] == 30
    assert values["SLOW_SECONDS"] == 8.0
    assert values["DEMO_PAGES"] is False


def test_environment_then_mapping():
    environ = {"BANK_ID": "revontuli", "BANK_PORT": "9000", "BANK_DEMO_PAGES": "yes"}
    values = config.load({"PORT": 9001}, environ=environ)
    assert values["BANK_ID"] == "revontuli"
    assert values["PORT"] == 9001
    assert values["ISSUER"] == "http://127.0.0.1:9001"
    assert values["DEMO_PAGES"] is True


@pytest.mark.parametrize(
    ("overrides", "environ", "names"),
    [
        ({}, {"BANK_SCENARO": "down"}, "BANK_SCENARO"),
        ({"BANK_ID": "nordea"}, {}, "BANK_ID"),
        ({"PORT": "eighty"}, {}, "BANK_PORT"),
        ({"DEBUG": "maybe"}, {}, "BANK_DEBUG"),
    ],
)
def test_bad_values_are_named(overrides, environ, names):
    with pytest.raises(ConfigError, match=names):
        config.load(overrides, environ=environ)


@pytest.mark.parametrize(
    ("overrides", "names"),
    [
        ({"SECRET_KEY": ""}, "BANK_SECRET_KEY"),
        ({"SCENARIO": "flood"}, "BANK_SCENARIO"),
        ({"ISSUER": "http://bank.example/"}, "BANK_ISSUER"),
        ({"MAX_FAILURES": 0}, "BANK_MAX_FAILURES"),
    ],
)
def test_check_fails_fast_with_a_sentence_naming_the_setting(overrides, names):
    values = config.load({"SECRET_KEY": "s" * 32, **overrides}, environ={})
    with pytest.raises(ConfigError, match=names):
        config.check(values)


def test_debug_generates_the_secret_once_and_keeps_it(tmp_path):
    values = config.load({"DEBUG": True, "INSTANCE_PATH": str(tmp_path)}, environ={})
    config.check(values)
    again = config.load({"DEBUG": True, "INSTANCE_PATH": str(tmp_path)}, environ={})
    config.check(again)
    assert values["SECRET_KEY"] == again["SECRET_KEY"]
    stored = tmp_path / "demo-secrets.json"
    assert json.loads(stored.read_text())["SECRET_KEY"] == values["SECRET_KEY"]
    assert stored.stat().st_mode & 0o777 == 0o600


def test_outside_debug_the_signing_key_must_exist(tmp_path):
    settings = {"SECRET_KEY": "s" * 32, "INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(ConfigError, match="silta-bank keys generate --bank aurora"):
        create_app(settings)
    assert not (tmp_path / "bank-signing-key.json").exists()


def test_in_testing_the_signing_key_is_made_0600(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path)})
    path = tmp_path / "bank-signing-key.json"
    assert path.stat().st_mode & 0o777 == 0o600
    with app.app_context():
        from bank_mock.extensions import db

        db.engine.dispose()
