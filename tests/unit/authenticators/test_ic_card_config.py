"""The card method is registered only when configured, and a broken card setting stops start-up."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from idp import create_app
from idp.config import ConfigError
from tests.support.settings import test_config as broker_config

from .ic_card_support import VERIFIER_SECRET
from .ic_card_support import Pki


@pytest.fixture
def settings(database, tmp_path):
    trusted = tmp_path / "trusted.pem"
    trusted.write_bytes(Pki().trusted_pem())

    def make(**changes):
        values = dict(
            CARD_ISSUER_URL="http://issuer.test",
            CARD_TRUSTED_CA_FILE=str(trusted),
            CARD_VERIFIER_SECRET=VERIFIER_SECRET,
        )
        values.update(changes)
        return broker_config(database, **values)

    return make


def test_without_an_issuer_url_there_is_no_card_method(app):
    assert app.extensions["silta.methods"].get("id-card") is None


def test_with_the_settings_the_card_method_is_registered_at_level_high(settings):
    method = create_app(settings()).extensions["silta.methods"].get("id-card")
    assert method.acr == "http://ftn.ficora.fi/2017/loa3"
    assert method.settings.reader_url == "http://127.0.0.1:8421"
    assert len(method.settings.trusted) == 1


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        ({"CARD_TRUSTED_CA_FILE": ""}, "SILTA_CARD_TRUSTED_CA_FILE is required"),
        ({"CARD_VERIFIER_SECRET": ""}, "SILTA_CARD_VERIFIER_SECRET is required"),
        ({"CARD_TRUSTED_CA_FILE": "/nonexistent/ca.pem"}, "SILTA_CARD_TRUSTED_CA_FILE: cannot"),
        ({"CARD_ISSUER_URL": "http://issuer.test/"}, "must not end with a slash"),
        ({"CARD_READER_URL": "http://127.0.0.1:8421/"}, "SILTA_CARD_READER_URL must be an"),
        ({"CARD_READER_URL": "http://127.0.0.1:8421/app"}, "SILTA_CARD_READER_URL must be an"),
        ({"CARD_READER_URL": "file:///reader"}, "SILTA_CARD_READER_URL must be an"),
        ({"CARD_TIMEOUT": 0}, "SILTA_CARD_TIMEOUT must be more than 0"),
        ({"CARD_CHALLENGE_LIFETIME": -5}, "SILTA_CARD_CHALLENGE_LIFETIME must be more than 0"),
        ({"CARD_CLOCK_SKEW": -1}, "SILTA_CARD_CLOCK_SKEW must not be negative"),
    ],
)
def test_a_broken_card_setting_stops_start_up_naming_it(settings, changes, names):
    with pytest.raises(ConfigError, match=names):
        create_app(settings(**changes))


def test_a_trusted_file_holding_a_card_certificate_is_refused(settings, tmp_path):
    pki = Pki()
    leaf = tmp_path / "leaf.pem"
    leaf.write_bytes(pki.card().certificate.public_bytes(Encoding.PEM))
    with pytest.raises(ConfigError, match="is not a CA"):
        create_app(settings(CARD_TRUSTED_CA_FILE=str(leaf)))


def test_a_trusted_file_without_certificates_is_refused(settings, tmp_path):
    empty = tmp_path / "empty.pem"
    empty.write_text("nothing here\n")
    with pytest.raises(ConfigError, match="SILTA_CARD_TRUSTED_CA_FILE"):
        create_app(settings(CARD_TRUSTED_CA_FILE=str(empty)))
