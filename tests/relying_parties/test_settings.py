"""Settings files, configuration, credentials and the registration the broker imports."""

from __future__ import annotations

import stat
import tomllib

import pytest
from click.testing import CliRunner

from idp import clients as broker_clients
from relying_parties import config
from relying_parties import credentials
from relying_parties import registration
from relying_parties import services
from relying_parties.cli import main as rp_cli

VALID = {
    "id": "library",
    "client_id": "demo-library",
    "port": 8434,
    "sector_identifier": "library.example",
    "scope": ["openid", "age"],
    "allowed_claims": ["age_over_18"],
    "acr_values": "http://ftn.ficora.fi/2017/loa2",
    "token_endpoint_auth_method": "client_secret_basic",
    "name": {"en": "Library", "fi": "Kirjasto", "ja": "図書館"},
    "need": {"en": "Age.", "fi": "Ikä.", "ja": "年齢。"},
}


def test_every_shipped_service_loads_with_its_own_port_client_and_sector():
    loaded = [services.load(s) for s in services.SERVICES]
    assert [s.id for s in loaded] == list(services.SERVICES)
    for attribute in ("port", "client_id", "sector_identifier"):
        assert len({getattr(s, attribute) for s in loaded}) == 4, attribute
    assert sorted(s.port for s in loaded) == [8431, 8432, 8433, 8434]


def test_the_shipped_profiles_are_what_each_service_promises():
    tax, library = services.load("tax"), services.load("library")
    assert tax.token_endpoint_auth_method == "private_key_jwt"
    assert (tax.request_object, tax.encrypted_id_token) == ("par", True)
    assert "urn:oid:1.2.246.21" in tax.essential_claims
    assert library.allowed_claims == ("age_over_18",)
    municipal = services.load("municipal")
    assert services.level(municipal.step_up_acr) == 3
    assert services.load("benefits").decision_seconds > 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": None}, "id is required"),
        ({"port": "8434"}, "port must be a int"),
        ({"token_endpoint_auth_method": "client_secret_jwt"}, "token_endpoint_auth_method"),
        ({"request_object": "uri"}, "request_object"),
        ({"scope": ["profile"]}, "scope must include openid"),
        ({"essential_claims": ["name"]}, "essential_claims must be among allowed_claims"),
        ({"acr_values": "loa2"}, "acr_values must be one of"),
        ({"step_up_acr": "high"}, "step_up_acr must be one of"),
        ({"name": {"en": "Library"}}, "[name] must give a text for each of en, fi, ja"),
    ],
)
def test_a_bad_settings_file_is_refused_naming_the_key(change, message):
    data = {**VALID, **change}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(services.SettingsError, match=message.replace("[", r"\[")):
        services.parse(data)


def test_an_unknown_service_is_refused():
    with pytest.raises(services.SettingsError, match="Unknown service 'bank'"):
        services.load("bank")


def test_configuration_defaults_follow_the_service(tmp_path):
    values = config.load({"SERVICE": "benefits"}, environ={})
    assert values["PORT"] == 8432
    assert values["BASE_URL"] == "http://127.0.0.1:8432"
    assert values["INSTANCE_PATH"].endswith("rp-benefits")
    assert values["PEERS"]["tax"] == "http://127.0.0.1:8431"
    assert "benefits" not in values["PEERS"]
    moved = config.load(
        {"SERVICE": "tax"}, environ={"RP_PEER_URLS": "library=https://library.example/"}
    )
    assert moved["PEERS"]["library"] == "https://library.example"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"RP_SERVICE": "tax", "RP_COLOUR": "blue"}, "Unknown setting RP_COLOUR"),
        ({"RP_SERVICE": "tax", "RP_DEBUG": "perhaps"}, "RP_DEBUG must be true or false"),
        ({"RP_SERVICE": "tax", "RP_PORT": "eighty"}, "RP_PORT must be a whole number"),
        ({"RP_SERVICE": "nothing"}, "Unknown service"),
        ({"RP_SERVICE": "tax", "RP_PEER_URLS": "bank=http://x"}, "RP_PEER_URLS"),
    ],
)
def test_a_bad_setting_stops_start_up_with_a_sentence(environ, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load(environ=environ)


def test_outside_demo_and_tests_a_secret_key_is_required(tmp_path):
    values = config.load({"SERVICE": "tax", "INSTANCE_PATH": str(tmp_path)}, environ={})
    with pytest.raises(config.ConfigError, match="RP_SECRET_KEY is not set"):
        config.check(values)
    trailing = config.load({"SERVICE": "tax", "BROKER_URL": "http://b/"}, environ={})
    with pytest.raises(config.ConfigError, match="without a trailing slash"):
        config.check(trailing)


def test_the_demo_secret_key_is_made_once_and_kept(tmp_path):
    first = config.load({"SERVICE": "tax", "INSTANCE_PATH": str(tmp_path), "DEBUG": True}, {})
    config.check(first)
    again = config.load({"SERVICE": "tax", "INSTANCE_PATH": str(tmp_path), "DEBUG": True}, {})
    config.check(again)
    assert first["SECRET_KEY"] == again["SECRET_KEY"]
    assert stat.S_IMODE((tmp_path / "demo-secrets.json").stat().st_mode) == 0o600


def test_credentials_are_made_once_private_and_reused(tmp_path):
    keys = credentials.load_keys(tmp_path, create=True)
    assert credentials.load_keys(tmp_path).sig.kid == keys.sig.kid
    assert keys.sig.raw_value.key_size >= 2048 and keys.enc.raw_value.key_size >= 2048
    secret = credentials.load_secret(tmp_path, create=True)
    assert credentials.load_secret(tmp_path, create=True) == secret
    for name in (credentials.KEYS_FILE, credentials.SECRET_FILE):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    with pytest.raises(credentials.CredentialsError, match="silta-rp registration"):
        credentials.load_keys(tmp_path / "elsewhere")


@pytest.mark.parametrize("service_id", services.SERVICES)
def test_the_printed_registration_is_what_the_broker_accepts(tmp_path, service_id):
    printed = CliRunner().invoke(
        rp_cli,
        [
            "registration",
            "--service",
            service_id,
            "--base-url",
            "http://127.0.0.1:9000",
            "--instance",
            str(tmp_path),
        ],
    )
    assert printed.exit_code == 0, printed.output
    (entry,) = tomllib.loads(printed.output)["clients"]
    fields = broker_clients.validate(entry)  # the broker's own rules, as `clients import`
    assert fields["redirect_uris"] == ["http://127.0.0.1:9000/callback"]
    assert fields["backchannel_logout_uri"] == "http://127.0.0.1:9000/backchannel-logout"
    service = services.load(service_id)
    assert fields["sector_identifier"] == service.sector_identifier
    if service.uses_keys:
        keys = credentials.load_keys(tmp_path)
        assert {k["kid"] for k in entry["jwks"]["keys"]} == {keys.sig.kid, keys.enc.kid}
        assert not any({"d", "p", "q"} & set(k) for k in entry["jwks"]["keys"])
        assert "client_secret" not in entry
    else:
        assert entry["client_secret"] == credentials.load_secret(tmp_path)
        assert "jwks" not in entry
    again = CliRunner().invoke(
        rp_cli,
        [
            "registration",
            "--service",
            service_id,
            "--base-url",
            "http://127.0.0.1:9000",
            "--instance",
            str(tmp_path),
        ],
    )
    assert again.output == printed.output  # credentials reused, never remade


def test_the_tax_registration_is_the_strict_profile(tmp_path):
    fields = registration.registration(services.load("tax"), "https://tax.example", tmp_path)
    assert fields["token_endpoint_auth_method"] == "private_key_jwt"
    assert fields["id_token_encrypted_response_alg"] == "RSA-OAEP"
    assert fields["id_token_encrypted_response_enc"] == "A128CBC-HS256"
    assert fields["require_signed_request_object"] is True
    assert fields["require_pushed_authorization_requests"] is True
    assert fields["national_id_entitled"] is True
