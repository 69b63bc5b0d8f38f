"""The `silta-bank` command."""

from __future__ import annotations

import base64
import json

import pytest
from click.testing import CliRunner
from werkzeug import serving

from bank_mock import customers
from bank_mock import totp
from bank_mock.cli import main


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("BANK_INSTANCE_PATH", str(tmp_path))
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_keys_generate_writes_a_private_key_readable_by_its_owner(cli, tmp_path):
    result = cli("keys", "generate", "--bank", "kide")
    assert result.exit_code == 0, result.output
    path = tmp_path / "bank-signing-key.json"
    assert path.stat().st_mode & 0o777 == 0o600
    key = json.loads(path.read_text())
    assert key["kty"] == "RSA" and key["use"] == "sig" and "d" in key
    assert key["kid"] in result.output
    again = cli("keys", "generate", "--bank", "kide")
    assert again.exit_code == 1
    assert "--force" in again.output
    assert cli("keys", "generate", "--bank", "kide", "--force").exit_code == 0
    assert json.loads(path.read_text())["kid"] != key["kid"]


def test_customers_prints_numbers_passwords_names_codes(cli):
    table = cli("customers", "--bank", "aurora")
    assert table.exit_code == 0
    assert "10245731" in table.output and "Aino Virtanen" in table.output
    assert "010170-999R" in table.output
    rows = json.loads(cli("customers", "--bank", "aurora", "--json").output)
    aino = next(r for r in rows if r["customer_number"] == "10245731")
    assert aino["password"] and aino["hetu"] == "010170-999R"
    assert len(aino["key_code"]) == 6 and aino["key_code"].isdigit()
    secret = base64.b32decode(aino["totp_secret"] + "=" * (-len(aino["totp_secret"]) % 8))
    assert secret == customers.totp_secret("aurora", "10245731")
    assert {"access_denied", "bad_signature"} <= {r["scenario"] for r in rows}


def test_seed_is_idempotent(cli):
    first = cli("seed", "--bank", "revontuli", "--count", "3")
    assert first.exit_code == 0
    assert "Revontuli Savings Bank: 11 customers added." in first.output  # 10 fixed, 1 synthetic
    again = cli("seed", "--bank", "revontuli", "--count", "3")
    assert "Revontuli Savings Bank: 0 customers added." in again.output


def test_run_seeds_and_serves_threaded_on_host_and_port(cli, monkeypatch, tmp_path):
    served = {}
    monkeypatch.setattr(serving, "run_simple", lambda *a, **kw: served.update(args=a, kw=kw))
    result = cli("run", "--bank", "aurora", "--demo")
    assert result.exit_code == 0, result.output
    assert "Aurora Bank at http://127.0.0.1:8411" in result.output
    assert served["args"][:2] == ("127.0.0.1", 8411)
    assert served["kw"]["threaded"] is True
    assert (tmp_path / "bank-signing-key.json").exists()
    assert (tmp_path / "demo-secrets.json").exists()
    app = served["args"][2]
    assert app.config["DEMO_PAGES"] is True
    assert totp.seconds_left() > 0


def test_run_outside_demo_fails_fast_without_the_secret(cli):
    result = CliRunner().invoke(main, ["run", "--bank", "aurora"])
    assert result.exit_code == 1
    assert "BANK_SECRET_KEY" in result.output
