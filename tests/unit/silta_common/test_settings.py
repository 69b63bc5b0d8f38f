"""silta_common.settings: one load order, types, unknown names and secrets, for every app."""

from __future__ import annotations

import json
import stat

import pytest

from silta_common.settings import ConfigError
from silta_common.settings import Setting
from silta_common.settings import Settings
from silta_common.settings import demo_secret

APP = Settings(
    (
        Setting("APP_ID", "one", "An id whose name already carries the prefix."),
        Setting("PORT", 8000, "A whole number."),
        Setting("TIMEOUT", 5.0, "A number."),
        Setting("DEBUG", False, "Demo mode."),
        Setting("TESTING", False, "Test mode."),
        Setting("SECRET_KEY", "", "A secret.", secret=True),
        Setting("OTHER_SECRET", "", "Another secret.", secret=True),
    ),
    "APP_",
    application="The app",
    docs="docs/app.md",
    reserved=("APP_TEST_",),
)


def test_defaults_then_environment_then_the_mapping():
    values = APP.load({"PORT": 9001}, environ={"APP_PORT": "9000", "APP_TIMEOUT": "2.5"})
    assert values["PORT"] == 9001
    assert values["TIMEOUT"] == 2.5
    assert values["APP_ID"] == "one"
    assert values["DEBUG"] is False


def test_a_name_with_the_prefix_is_its_own_environment_variable():
    assert APP.load(environ={"APP_ID": "two"})["APP_ID"] == "two"
    with pytest.raises(ConfigError, match="APP_APP_ID"):
        APP.load(environ={"APP_APP_ID": "two"})


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), (" on ", True), ("off", False), ("", False)]
)
def test_booleans(raw, expected):
    assert APP.load(environ={"APP_DEBUG": raw})["DEBUG"] is expected


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("DEBUG", "maybe", "APP_DEBUG must be true or false, not 'maybe'."),
        ("PORT", "eighty", "APP_PORT must be a whole number, not 'eighty'."),
        ("PORT", "80.5", "APP_PORT must be a whole number, not '80.5'."),
        ("TIMEOUT", "soon", "APP_TIMEOUT must be a number, not 'soon'."),
    ],
)
def test_a_bad_value_is_refused_naming_its_environment_variable(name, raw, message):
    with pytest.raises(ConfigError) as error:
        APP.load(environ={f"APP_{name}": raw})
    assert str(error.value) == message


def test_the_mapping_is_coerced_too():
    with pytest.raises(ConfigError, match="APP_PORT"):
        APP.load({"PORT": "eighty"}, environ={})
    assert APP.load({"DEBUG": "true", "PORT": "81"}, environ={})["PORT"] == 81


def test_unknown_names_are_refused_reserved_ones_and_other_prefixes_ignored():
    with pytest.raises(ConfigError) as error:
        APP.load(environ={"APP_PROT": "1", "APP_PORTT": "2"})
    assert str(error.value) == "Unknown setting APP_PORTT: see docs/app.md."  # the first
    assert APP.load(environ={"APP_TEST_DATABASE": "x", "OTHER_PORT": "1"})["PORT"] == 8000


def test_keys_of_the_mapping_that_are_not_settings_pass_through():
    values = APP.load({"WTF_CSRF_ENABLED": False, "CLIENTS": [{"id": 1}]}, environ={})
    assert values["WTF_CSRF_ENABLED"] is False
    assert values["CLIENTS"] == [{"id": 1}]


def test_missing_secrets_stop_start_up_naming_every_one(tmp_path):
    with pytest.raises(ConfigError) as error:
        APP.check_secrets(APP.load(environ={}), tmp_path)
    assert str(error.value) == (
        "The app will not start: APP_SECRET_KEY, APP_OTHER_SECRET are not set. Set them in "
        "the environment (see docs/app.md), or run with APP_DEBUG=1 for a local demo."
    )
    with pytest.raises(ConfigError, match=r"APP_OTHER_SECRET is not set\. Set it in"):
        APP.check_secrets(APP.load({"SECRET_KEY": "s"}, environ={}), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_testing_gets_throwaway_secrets_kept_nowhere(tmp_path):
    values = APP.load({"TESTING": True}, environ={})
    APP.check_secrets(values, tmp_path)
    again = APP.load({"TESTING": True}, environ={})
    APP.check_secrets(again, tmp_path)
    assert len(values["SECRET_KEY"]) >= 32 and values["SECRET_KEY"] != again["SECRET_KEY"]
    assert list(tmp_path.iterdir()) == []


def test_debug_makes_demo_secrets_once_and_keeps_them_private(tmp_path):
    instance = tmp_path / "instance"
    first = APP.load({"DEBUG": True, "SECRET_KEY": "given"}, environ={})
    APP.check_secrets(first, instance)
    second = APP.load({"DEBUG": True}, environ={})
    APP.check_secrets(second, instance)
    assert first["SECRET_KEY"] == "given"  # a value that is set is never replaced
    assert first["OTHER_SECRET"] == second["OTHER_SECRET"]
    stored = json.loads((instance / "demo-secrets.json").read_text())
    assert stored == {"OTHER_SECRET": first["OTHER_SECRET"], "SECRET_KEY": second["SECRET_KEY"]}
    assert stat.S_IMODE((instance / "demo-secrets.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700


def test_demo_secrets_keep_what_others_wrote_and_refuse_a_broken_file(tmp_path):
    (tmp_path / "demo-secrets.json").write_text(json.dumps({"READER_API_KEY": "k"}))
    made = demo_secret(tmp_path, "DESK_PASSWORD")
    assert json.loads((tmp_path / "demo-secrets.json").read_text()) == {
        "READER_API_KEY": "k",
        "DESK_PASSWORD": made,
    }
    (tmp_path / "demo-secrets.json").write_text("[1, 2")
    with pytest.raises(ConfigError, match=r"demo-secrets\.json is not a JSON object"):
        demo_secret(tmp_path, "DESK_PASSWORD")
