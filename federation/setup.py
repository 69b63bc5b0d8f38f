"""What each demo process needs before it starts: keys, registrations and its environment.

The demo configures the parts as an operator would, through their command lines, files and
environment, never by importing them (ARCHITECTURE §2): the banks get the broker's public JWKS,
the broker gets the banks, the services' registrations (`silta-rp registration`) and the card
authority's CA certificate and demo credentials. Every step is idempotent, so a restart keeps
keys, registrations and data.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from idp import config
from idp.authenticators.bank import keys as federation

from .layout import BANKS
from .layout import SERVICES
from .layout import Layout

BROKER_CLIENT_ID = "silta"
# The card authority's demo parties (card_mock/issuer/demo.py): their secrets live in the
# authority's demo-secrets.json, which the demo fills in before the authority first starts.
ISSUER_SECRETS = ("BROKER_API_KEY", "READER_API_KEY", "OPERATOR_API_KEY", "DESK_PASSWORD")
BROKER_VERIFIER, OPERATOR, DESK_OFFICIAL = "silta-broker", "silta-operator", "demo-official"
FOREIGN_PREFIXES = ("SILTA_", "BANK_", "CARD_", "READER_", "RP_", "SOFTHSM2_CONF")


@dataclass
class Component:
    """One process of the demo: its command, environment and the URL that says it is up."""

    name: str
    title: str
    command: list[str]
    env: dict[str, str]
    health_url: str
    url: str
    extra: dict[str, str] = field(default_factory=dict)


def bin_path(name: str) -> str:
    """A console script installed beside this interpreter."""
    return str(Path(sys.executable).with_name(name))


def has_command(*argv: str) -> bool:
    """Whether a console script exists and knows this subcommand (parts arrive over time)."""
    if not Path(bin_path(argv[0])).exists():
        return False
    probe = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [bin_path(argv[0]), *argv[1:], "--help"], capture_output=True, timeout=60, check=False
    )
    return probe.returncode == 0


def clean_env() -> dict[str, str]:
    """The caller's environment without any part's settings, so nothing leaks between parts."""
    return {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN_PREFIXES)}


def issuer_secrets(layout: Layout) -> dict[str, str]:
    """The card authority's demo secrets, made once (0600) before it first starts."""
    path = layout.issuer_dir / "demo-secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    if any(name not in stored for name in ISSUER_SECRETS):
        for name in ISSUER_SECRETS:
            stored.setdefault(name, secrets.token_urlsafe(32))
        layout.issuer_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch(mode=0o600)
        path.write_text(json.dumps(stored, indent=2))
    return stored


def federate_banks(layout: Layout) -> tuple[Path, Path, Path]:
    """Broker keys toward banks, the banks file and the banks' client file (static JWKS)."""
    broker_dir = layout.folder("broker")
    keys_path = broker_dir / "federation-keys.json"
    keys = federation.load(keys_path) if keys_path.exists() else federation.generate(keys_path)
    public = layout.root / "broker-federation.jwks.json"
    public.write_text(json.dumps(keys.public_jwks(), indent=2))
    banks_file = broker_dir / "banks.toml"
    banks_file.write_text(
        "".join(
            f'[[banks]]\nid = "{bank_id}"\nname = "{name}"\nissuer = "{layout.bank_url(i)}"\n'
            f'client_id = "{BROKER_CLIENT_ID}"\n\n'
            for i, (bank_id, name) in enumerate(BANKS)
        )
    )
    callbacks = ", ".join(
        f'"{layout.broker_url}/method/bank-{bank_id}/callback"' for bank_id, _ in BANKS
    )
    bank_clients = layout.root / "bank-clients.toml"
    bank_clients.write_text(
        f'[[clients]]\nclient_id = "{BROKER_CLIENT_ID}"\n'
        f'redirect_uris = [{callbacks}]\njwks_file = "{public.name}"\n'
    )
    return keys_path, banks_file, bank_clients


def issuer_env(layout: Layout) -> dict[str, str]:
    """The card authority's settings (CARD_*), shared by `issuer init` and `issuer run`."""
    return {
        **clean_env(),
        "CARD_INSTANCE_PATH": str(layout.issuer_dir),
        "CARD_ISSUER_URL": layout.issuer_url,
        "CARD_HOST": layout.host,
        "CARD_PORT": str(layout.port(8420)),
    }


def init_issuer(layout: Layout) -> Path:
    """Create the authority's CAs once (`silta-card issuer init`); the trusted CA's file."""
    subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [bin_path("silta-card"), "issuer", "init"],
        env=issuer_env(layout),
        capture_output=True,
        timeout=120,
        check=True,
    )
    return layout.issuer_dir / "ca" / "issuing-ca.crt.pem"


def service_registrations(layout: Layout, services: list[int]) -> Path | None:
    """`silta-rp registration` for each service, gathered in one file for the broker."""
    if not services:
        return None
    with_instance = (
        "--instance"
        in subprocess.run(  # noqa: S603 - our own console script
            [bin_path("silta-rp"), "registration", "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout
    )
    tables = []
    for index in services:
        service = SERVICES[index][0]
        argv = [bin_path("silta-rp"), "registration", "--service", service]
        argv += ["--base-url", layout.service_url(index)]
        instance = str(layout.folder(f"service-{service}"))
        argv += ["--instance", instance] if with_instance else []
        tables.append(
            subprocess.run(  # noqa: S603 - our own console script, fixed arguments
                argv,
                env={**clean_env(), "RP_INSTANCE_PATH": instance},
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            ).stdout
        )
    path = layout.folder("broker") / "services.toml"
    path.write_text("\n".join(tables))
    return path


def broker_settings(layout: Layout, card: dict[str, str]) -> dict[str, str]:
    """The broker's card settings that this broker version knows (others would stop it)."""
    known = {s.name for s in config.SETTINGS}
    return {f"SILTA_{name}": value for name, value in card.items() if name in known}
