"""The bridge as an app: CORS only for allowed origins, health, configuration, demo wiring, CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from card_mock.cli import main
from card_mock.issuer import cards
from card_mock.issuer import create_app as create_issuer
from card_mock.issuer import reset_codes
from card_mock.issuer.extensions import db
from card_mock.issuer.issuance import issue
from card_mock.reader import config
from card_mock.reader import create_app

from .reader_fixtures import *  # noqa: F403  (the bridge's fixtures)
from .reader_support import BROKER_ORIGIN
from .reader_support import NEW_PIN
from .reader_support import OTHER_ORIGIN
from .reader_support import live_server
from .reader_support import sign
from .reader_support import unblock
from .support import AINO
from .support import PIN


def test_healthz(client):
    assert client.get("/healthz").status_code == 200


def test_status_has_cors_for_allowed_origins_only(client, card):
    allowed = client.get("/api/status", headers={"Origin": BROKER_ORIGIN})
    assert allowed.json == {"app": "silta-reader", "version": "1.0.0", "cards": 1}
    assert allowed.headers["Access-Control-Allow-Origin"] == BROKER_ORIGIN
    assert "Origin" in allowed.headers["Vary"]
    for origin in (OTHER_ORIGIN, "null", BROKER_ORIGIN + "/"):
        refused = client.get("/api/status", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Origin" not in client.get("/api/status").headers


def test_status_preflight_from_a_public_broker(client):
    headers = {
        "Origin": BROKER_ORIGIN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Private-Network": "true",
    }
    allowed = client.options("/api/status", headers=headers)
    assert allowed.headers["Access-Control-Allow-Origin"] == BROKER_ORIGIN
    assert allowed.headers["Access-Control-Allow-Private-Network"] == "true"
    refused = client.options("/api/status", headers={**headers, "Origin": OTHER_ORIGIN})
    assert "Access-Control-Allow-Private-Network" not in refused.headers
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_pages_have_no_cors(client, card):
    page = client.get("/", headers={"Origin": BROKER_ORIGIN})
    assert "Access-Control-Allow-Origin" not in page.headers
    assert page.headers["X-Frame-Options"] == "DENY"


def test_defaults():
    values = config.load({}, environ={})
    assert values["PORT"] == 8421
    assert values["ALLOWED_ORIGINS"] == ("http://127.0.0.1:8400",)
    assert values["ISSUER_URL"] == "http://127.0.0.1:8420"
    assert values["VERIFIER_ID"] == "silta-reader"
    assert values["TOKEN_FOLDER"].endswith("card-issuer/cards")


def test_origins_are_a_list():
    environ = {"READER_ALLOWED_ORIGINS": "https://a.test, http://127.0.0.1:8400"}
    assert config.load({}, environ=environ)["ALLOWED_ORIGINS"] == (
        "https://a.test",
        "http://127.0.0.1:8400",
    )


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"READER_NOPE": "1"}, "Unknown setting READER_NOPE"),
        ({"READER_PORT": "x"}, "whole number"),
        ({"READER_ALLOWED_ORIGINS": "https://a.test/path"}, "is not an origin"),
        ({"READER_ALLOWED_ORIGINS": "https://a.test/"}, "is not an origin"),
        ({"READER_ALLOWED_ORIGINS": "a.test"}, "is not an origin"),
    ],
)
def test_bad_values_are_named(environ, problem):
    with pytest.raises(config.ConfigError, match=problem):
        config.load({}, environ=environ)


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({}, "READER_SECRET_KEY"),
        ({"SECRET_KEY": "s" * 32}, "READER_VERIFIER_KEY"),
        ({"SECRET_KEY": "s" * 32, "VERIFIER_KEY": "k" * 32, "ALLOWED_ORIGINS": ""}, "empty"),
    ],
)
def test_refuses_to_start_without_what_it_needs(overrides, problem):
    values = config.load(overrides, environ={})
    with pytest.raises(config.ConfigError, match=problem):
        config.check(values)


def test_demo_bridge_uses_the_demo_issuers_cards_and_key(tmp_path):
    """`--demo` on both sides: the bridge finds the issuer's cards and reset-code credentials."""
    issuer_app = create_issuer(
        {"DEBUG": True, "SEED_DEMO_HOLDERS": True, "INSTANCE_PATH": str(tmp_path / "issuer")}
    )
    with issuer_app.app_context():
        serial = issue(issuer_app.extensions["card.issuer"], AINO.eid, PIN, "EC-P256").serial
    with live_server(issuer_app) as issuer_url:
        bridge = create_app(
            {
                "DEBUG": True,
                "INSTANCE_PATH": str(tmp_path / "reader"),
                "ISSUER_INSTANCE_PATH": str(tmp_path / "issuer"),
                "ISSUER_URL": issuer_url,
            }
        )
        client = bridge.test_client()
        assert client.get("/api/status").json["cards"] == 1
        with issuer_app.app_context():
            code = reset_codes.authorise(cards.load_card(serial), "demo-official", hours=1)
        assert unblock(client, serial, code).status_code == 200
        assert sign(client, serial, NEW_PIN, origin="http://127.0.0.1:8400")[0].status_code == 200
    with issuer_app.app_context():
        db.engine.dispose()


def test_cli_runs_the_bridge(tmp_path, monkeypatch):
    served = {}

    def run_simple(host, port, app, **options):
        served.update(host=host, port=port, app=app, options=options)

    monkeypatch.setattr("werkzeug.serving.run_simple", run_simple)
    runner = CliRunner(
        env={
            "READER_INSTANCE_PATH": str(tmp_path / "reader"),
            "READER_ISSUER_INSTANCE_PATH": str(tmp_path / "issuer"),
        }
    )
    result = runner.invoke(main, ["reader", "run", "--port", "9421", "--demo"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:9421" in result.output
    assert served["port"] == 9421 and served["app"].config["DEBUG"] is True
    assert served["options"]["threaded"] is True


def test_cli_fails_fast_outside_the_demo(tmp_path):
    runner = CliRunner(env={"READER_INSTANCE_PATH": str(tmp_path / "reader")})
    result = runner.invoke(main, ["reader", "run"])
    assert result.exit_code != 0
    assert "READER_SECRET_KEY" in result.output
