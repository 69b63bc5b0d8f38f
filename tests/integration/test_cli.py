"""The `silta` command: start-up, clients, keys, database and sweep."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from joserfc.jwk import RSAKey

from federation.ports import free_port
from idp.cli import main
from idp.extensions import db
from idp.hashing import matches
from idp.storage.models import Client
from idp.storage.models import Interaction
from idp.storage.models import LogoutDelivery
from idp.storage.models import PushedRequest
from tests.support.settings import TEST_SECRETS

SILTA = str(Path(sys.executable).with_name("silta"))


@pytest.fixture
def cli(clean, database):
    env = {f"SILTA_{k}": v for k, v in TEST_SECRETS.items()}
    env.update(SILTA_TESTING="1", SILTA_DATABASE_URL=database)
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def test_clients_add_prints_the_secret_once_and_stores_only_its_hash(cli, ctx):
    result = cli(
        "clients",
        "add",
        "--client-id",
        "library",
        "--name",
        "City Library",
        "--redirect-uri",
        "https://lib.example/cb",
        "--scope",
        "openid",
        "--scope",
        "age",
    )
    assert result.exit_code == 0, result.output
    secret = result.output.split("client_secret: ")[1].split()[0]
    client = ctx.get(Client, "library")
    assert matches(secret, client.client_secret_hash)
    assert secret not in json.dumps(cli("clients", "show", "library").output)
    assert cli("clients", "list").output.startswith("library\tCity Library")


def test_clients_add_refuses_a_bad_registration_with_its_reason(cli, ctx):
    result = cli(
        "clients",
        "add",
        "--client-id",
        "library",
        "--name",
        "N" * 41,
        "--redirect-uri",
        "https://lib.example/cb",
    )
    assert result.exit_code == 1
    assert "1–40 characters" in result.output
    assert ctx.get(Client, "library") is None


def test_private_key_jwt_client_from_a_jwks_file(cli, ctx, tmp_path):
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [RSAKey.generate_key(2048).as_dict(private=False)]}))
    result = cli(
        "clients",
        "add",
        "--client-id",
        "tax",
        "--name",
        "Tax",
        "--redirect-uri",
        "https://tax.example/cb",
        "--auth-method",
        "private_key_jwt",
        "--jwks-file",
        str(jwks),
        "--id-token-alg",
        "ES256",
        "--no-refresh",
    )
    assert result.exit_code == 0, result.output
    assert "client_secret" not in result.output
    client = ctx.get(Client, "tax")
    assert client.client_secret_hash is None
    assert client.grant_types == ["authorization_code"]
    assert client.id_token_signed_response_alg == "ES256"


def test_import_is_all_or_nothing_and_keeps_secrets_on_reimport(cli, ctx, tmp_path):
    good = tmp_path / "clients.toml"
    good.write_text(
        '[[clients]]\nclient_id = "tax"\nname = "Tax"\n'
        'redirect_uris = ["https://tax.example/cb"]\n'
        f'client_secret = "{"s" * 40}"\n'
    )
    assert cli("clients", "import", str(good)).exit_code == 0
    first_hash = ctx.get(Client, "tax").client_secret_hash
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text() + '\n[[clients]]\nclient_id = "xyz"\nname = "X"\n')
    result = cli("clients", "import", str(bad))
    assert result.exit_code == 1
    assert "entry 2 (xyz)" in result.output and "redirect URI" in result.output
    ctx.expire_all()
    assert ctx.get(Client, "xyz") is None
    assert ctx.get(Client, "tax").client_secret_hash == first_hash


def test_clients_remove(cli, ctx):
    cli(
        "clients",
        "add",
        "--client-id",
        "library",
        "--name",
        "Library",
        "--redirect-uri",
        "https://lib.example/cb",
    )
    assert cli("clients", "remove", "library").exit_code == 0
    assert cli("clients", "remove", "library").exit_code == 1
    assert cli("clients", "show", "library").exit_code == 1


def test_keys_database_and_sweep_commands(cli, ctx):
    assert "Every algorithm has a current key" in cli("keys", "generate").output
    listing = cli("keys", "list").output
    assert "RS256  current" in listing and "ES256  current" in listing
    assert cli("db", "upgrade").exit_code == 0
    ctx.add(Interaction(uid="old", kind="account", params={}, browser_hash="x", expires_at=1))
    ctx.add(PushedRequest(uri_hash="old", client_id="tax", params={}, expires_at=1))
    for delivered_at in (1, None):  # delivered long ago; never delivered (still owed)
        ctx.add(
            LogoutDelivery(
                client_id="tax",
                session_sid="s",
                subject="x",
                next_attempt_at=1,
                delivered_at=delivered_at,
                created_at=1,
            )
        )
    ctx.commit()
    result = cli("sweep")
    assert "interactions: 1 deleted" in result.output
    assert "pushed_requests: 1 deleted" in result.output
    assert "logout_deliveries: 1 deleted" in result.output
    ctx.expire_all()
    assert ctx.get(Interaction, "old") is None
    assert ctx.get(PushedRequest, "old") is None
    owed = ctx.execute(db.select(LogoutDelivery)).scalars().all()
    assert [row.delivered_at for row in owed] == [None]


def test_run_refuses_to_start_without_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SILTA_")}
    env["SILTA_INSTANCE_PATH"] = str(tmp_path)
    result = subprocess.run([SILTA, "run"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "will not start" in result.stderr
    assert "SILTA_PAIRWISE_SECRET" in result.stderr


@pytest.mark.live
def test_silta_alone_starts_a_demo_broker_on_sqlite_with_generated_keys(tmp_path):
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SILTA_")}
    env.update(SILTA_INSTANCE_PATH=str(tmp_path), SILTA_PORT=str(port), SILTA_ISSUER=issuer)
    process = subprocess.Popen(
        [SILTA], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        metadata = None
        for _ in range(100):
            try:
                metadata = requests.get(
                    issuer + "/.well-known/openid-configuration", timeout=2
                ).json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert metadata is not None, "the broker did not start"
        assert metadata["issuer"] == issuer
        assert metadata["code_challenge_methods_supported"] == ["S256"]
        assert "pairwise" in metadata["subject_types_supported"]
        assert "http://ftn.ficora.fi/2017/loa3" in metadata["acr_values_supported"]
        assert "urn:oid:1.2.246.21" in metadata["claims_supported"]
        jwks = requests.get(metadata["jwks_uri"], timeout=2).json()
        assert {k["alg"] for k in jwks["keys"]} == {"RS256", "ES256"}
        assert (tmp_path / "silta.db").exists()
        assert (tmp_path / "demo-secrets.json").exists()
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "Generated demo signing keys" in output
