"""Configuration: load order, types, and refusing to start without secrets."""

from __future__ import annotations

import json

import pytest

from idp import create_app
from idp.config import ConfigError
from idp.config import check
from idp.config import load
from tests.support.settings import TEST_SECRETS


def test_defaults_then_environment_then_explicit_mapping():
    values = load({"PORT": 9000}, environ={"SILTA_PORT": "8500", "SILTA_ISSUER": "https://x"})
    assert values["PORT"] == 9000
    assert values["ISSUER"] == "https://x"
    assert values["CODE_LIFETIME"] == 60


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False)])
def test_booleans_from_the_environment(raw, expected):
    assert load(environ={"SILTA_DEBUG": raw})["DEBUG"] is expected


@pytest.mark.parametrize(("name", "raw"), [("DEBUG", "maybe"), ("PORT", "eighty")])
def test_bad_values_are_refused_with_the_setting_named(name, raw):
    with pytest.raises(ConfigError, match=f"SILTA_{name}"):
        load(environ={f"SILTA_{name}": raw})


def test_unknown_setting_is_refused():
    with pytest.raises(ConfigError, match="SILTA_ISSUR"):
        load(environ={"SILTA_ISSUR": "typo"})


def test_outside_debug_missing_secrets_stop_start_up_with_their_names(tmp_path):
    with pytest.raises(ConfigError) as error:
        check(load(environ={}), tmp_path)
    message = str(error.value)
    for name in ("SILTA_SECRET_KEY", "SILTA_PAIRWISE_SECRET", "SILTA_KEY_ENCRYPTION_KEY"):
        assert name in message
    assert "will not start" in message


def test_one_missing_secret_is_named_alone(tmp_path):
    values = load({**TEST_SECRETS, "PAIRWISE_SECRET": ""}, environ={})
    with pytest.raises(ConfigError, match=r"SILTA_PAIRWISE_SECRET is not set"):
        check(values, tmp_path)


def test_debug_generates_demo_secrets_once_and_keeps_them(tmp_path):
    first = load({"DEBUG": True}, environ={})
    check(first, tmp_path)
    second = load({"DEBUG": True}, environ={})
    check(second, tmp_path)
    assert first["PAIRWISE_SECRET"] == second["PAIRWISE_SECRET"]
    assert first["SESSION_COOKIE_SECURE"] is False
    stored = json.loads((tmp_path / "demo-secrets.json").read_text())
    assert set(stored) == {"SECRET_KEY", "PAIRWISE_SECRET", "KEY_ENCRYPTION_KEY"}
    assert (tmp_path / "demo-secrets.json").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"CODE_LIFETIME": 61}, "SILTA_CODE_LIFETIME"),
        ({"CODE_LIFETIME": 0}, "SILTA_CODE_LIFETIME"),
        ({"ISSUER": "https://x/"}, "SILTA_ISSUER"),
        ({"DEV_AUTHENTICATOR": True}, "TESTING is off"),
    ],
)
def test_unsafe_settings_are_refused(tmp_path, overrides, message):
    with pytest.raises(ConfigError, match=message):
        check(load({**TEST_SECRETS, **overrides}, environ={}), tmp_path)


def test_create_app_refuses_without_secrets(tmp_path, monkeypatch):
    for name in ("SILTA_SECRET_KEY", "SILTA_PAIRWISE_SECRET", "SILTA_KEY_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="will not start"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
