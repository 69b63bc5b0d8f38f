"""The issuer's configuration: load order, fail fast, demo secrets kept."""

from __future__ import annotations

import stat

import pytest

from card_mock.issuer import config


def test_defaults():
    values = config.load({}, environ={})
    assert values["ISSUER_URL"] == "http://127.0.0.1:8420"
    assert values["PKCS11_MODULE"] == "/usr/lib/softhsm/libsofthsm2.so"
    assert values["KEY_ALGORITHM"] == "EC-P256"


def test_environment_then_mapping():
    environ = {"CARD_PORT": "9000", "CARD_KEY_ALGORITHM": "RSA-2048"}
    values = config.load({"PORT": 9100}, environ=environ)
    assert values["PORT"] == 9100 and values["KEY_ALGORITHM"] == "RSA-2048"


def test_refuses_to_start_without_a_secret_outside_debug():
    values = config.load({}, environ={})
    with pytest.raises(config.ConfigError, match="CARD_SECRET_KEY"):
        config.check(values)


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"CARD_NOPE": "1"}, "Unknown setting CARD_NOPE"),
        ({"CARD_DEBUG": "maybe"}, "true or false"),
        ({"CARD_PORT": "x"}, "whole number"),
    ],
)
def test_bad_values_are_named(environ, problem):
    with pytest.raises(config.ConfigError, match=problem):
        config.load({}, environ=environ)


def test_bad_algorithm():
    values = config.load({"KEY_ALGORITHM": "DSA", "TESTING": True}, environ={})
    with pytest.raises(config.ConfigError, match="EC-P256, RSA-2048"):
        config.check(values)


def test_demo_secret_is_kept_private(tmp_path):
    values = config.load({"DEBUG": True, "INSTANCE_PATH": str(tmp_path)}, environ={})
    config.check(values)
    again = config.load({"DEBUG": True, "INSTANCE_PATH": str(tmp_path)}, environ={})
    config.check(again)
    assert values["SECRET_KEY"] == again["SECRET_KEY"]
    assert stat.S_IMODE((tmp_path / "demo-secrets.json").stat().st_mode) == 0o600


def test_demo_app_makes_its_parties(tmp_path):
    from card_mock.issuer import create_app
    from card_mock.issuer.extensions import db

    app = create_app({"DEBUG": True, "INSTANCE_PATH": str(tmp_path)})
    parties = app.extensions["card.verifiers"]
    assert set(parties) == {"silta-broker", "silta-reader", "silta-operator"}
    assert parties["silta-operator"].permissions == {
        "cards.issue",
        "cards.read",
        "cards.revoke",
        "cards.reset",
    }
    assert set(app.extensions["card.officials"]) == {"demo-official"}
    with app.app_context():
        db.engine.dispose()
