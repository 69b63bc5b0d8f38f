"""What each party needs before it starts: keys, registrations and its environment.

The federation configures the parties as an operator would, through their command lines, files
and environment, never by importing them (ARCHITECTURE §2): the broker makes its keys toward the
banks (`silta keys federation`) and hands the public half to them (`silta keys federation
--public`), the broker gets the banks, the services' registrations (`silta-rp registration`) and
the card authority's CA certificate and credentials. Every step is idempotent, so a restart keeps
keys, registrations and data.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .layout import BANKS
from .layout import SERVICES
from .layout import Layout

BROKER_CLIENT_ID = "silta"
# The card authority's demo parties (card_mock/issuer/demo.py): their secrets live in the
# authority's demo-secrets.json, which the demo fills in before the authority first starts.
ISSUER_SECRETS = ("BROKER_API_KEY", "READER_API_KEY", "OPERATOR_API_KEY", "DESK_PASSWORD")
BROKER_VERIFIER, OPERATOR, DESK_OFFICIAL = "silta-broker", "silta-operator", "demo-official"
FOREIGN_PREFIXES = ("SILTA_", "BANK_", "CARD_", "READER_", "RP_", "SOFTHSM2_CONF")
COMMAND_SECONDS = 120


@dataclass(frozen=True)
class Party:
    """One process of the federation: its command, environment and the URL that says it is up."""

    name: str
    title: str
    command: list[str]
    env: dict[str, str]
    health_url: str
    url: str
    folder: str = ""  # its instance folder (data, keys, secrets)


class SetupFailed(RuntimeError):
    """A party's own command failed while the federation was being set up."""


def bin_path(name: str) -> str:
    """A console script installed beside this interpreter."""
    return str(Path(sys.executable).with_name(name))


def clean_env() -> dict[str, str]:
    """The caller's environment without any party's settings, so nothing leaks between parties."""
    return {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN_PREFIXES)}


def command(argv: list[str], env: Mapping[str, str], stdin: str | None = None) -> str:
    """Run a party's console script; its standard output, or SetupFailed quoting its errors."""
    try:
        done = subprocess.run(  # noqa: S603 - our own console scripts, fixed arguments
            [bin_path(argv[0]), *argv[1:]],
            env=dict(env),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SetupFailed(f"`{' '.join(argv)}` failed: {error}") from None
    if done.returncode != 0:
        raise SetupFailed(f"`{' '.join(argv)}` failed:\n{done.stderr.strip()[-2000:]}")
    return done.stdout


def issuer_secrets(layout: Layout) -> dict[str, str]:
    """The card authority's demo secrets, made once (0600) before it first starts."""
    path = layout.issuer_dir / "demo-secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if any(name not in stored for name in ISSUER_SECRETS):
        for name in ISSUER_SECRETS:
            stored.setdefault(name, secrets.token_urlsafe(32))
        layout.issuer_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch(mode=0o600)
        path.write_text(json.dumps(stored, indent=2))
    return stored


def federate_banks(layout: Layout, broker_env: Mapping[str, str], banks: list[int]) -> None:
    """The broker's keys toward banks, the banks file, and the banks' client file (its JWKS)."""
    Path(broker_env["SILTA_BANKS_FILE"]).write_text(
        "".join(
            f'[[banks]]\nid = "{BANKS[i][0]}"\nname = "{BANKS[i][1]}"\n'
            f'issuer = "{layout.bank_url(i)}"\nclient_id = "{BROKER_CLIENT_ID}"\n\n'
            for i in banks
        )
    )
    keys_path = Path(broker_env["SILTA_FEDERATION_KEYS_FILE"])
    public = layout.root / "broker-federation.jwks.json"
    if not keys_path.exists() or not public.exists():
        command(["silta", "keys", "federation"], broker_env)
        public.write_text(command(["silta", "keys", "federation", "--public"], broker_env))
    callbacks = ", ".join(
        f'"{layout.broker_url}/method/bank-{BANKS[i][0]}/callback"' for i in banks
    )
    bank_clients_file(layout).write_text(
        f'[[clients]]\nclient_id = "{BROKER_CLIENT_ID}"\n'
        f'redirect_uris = [{callbacks}]\njwks_file = "{public.name}"\n'
    )


def bank_clients_file(layout: Layout) -> Path:
    """The banks' registration of the broker (one file for every bank)."""
    return layout.root / "bank-clients.toml"


def issuer_env(layout: Layout) -> dict[str, str]:
    """The card authority's settings (CARD_*), shared by `issuer init` and `issuer run`."""
    return {
        **clean_env(),
        "CARD_INSTANCE_PATH": str(layout.issuer_dir),
        "CARD_ISSUER_URL": layout.issuer_url,
        "CARD_HOST": layout.host,
        "CARD_PORT": str(layout.port_of("issuer")),
    }


def init_issuer(env: Mapping[str, str]) -> None:
    """Create the authority's CAs once (`silta-card issuer init`)."""
    command(["silta-card", "issuer", "init"], env)


def service_registrations(layout: Layout, services: list[int]) -> Path | None:
    """`silta-rp registration` for each service, gathered in one file for the broker."""
    if not services:
        return None
    tables = []
    for index in services:
        service = SERVICES[index][0]
        instance = str(layout.folder(f"service-{service}"))
        argv = ["silta-rp", "registration", "--service", service]
        argv += ["--base-url", layout.service_url(index), "--instance", instance]
        tables.append(command(argv, {**clean_env(), "RP_INSTANCE_PATH": instance}))
    path = layout.folder("broker") / "services.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(tables))
    return path
