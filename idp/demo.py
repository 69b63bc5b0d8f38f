"""`silta demo`: the federation on one machine, each part its own process and origin.

The demo talks to the banks only through their command line and HTTP, as a real operator
would: it exchanges keys through configuration files (static JWKS, as FTN allows), starts every
process, waits until each answers, prints where everything is, and stops them all on Ctrl-C.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click
import requests

from .authenticators import federation

BANKS = (("aurora", "Aurora Bank"), ("kide", "Kide Bank"), ("revontuli", "Revontuli Savings Bank"))
BROKER_CLIENT_ID = "silta"
START_TIMEOUT = 60


@dataclass(frozen=True)
class Layout:
    root: Path
    host: str = "127.0.0.1"
    broker_port: int = 8400
    bank_ports: tuple[int, ...] = (8411, 8412, 8413)

    @property
    def broker_url(self) -> str:
        return f"http://{self.host}:{self.broker_port}"

    def bank_url(self, index: int) -> str:
        return f"http://{self.host}:{self.bank_ports[index]}"


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def prepare(layout: Layout) -> dict[str, dict[str, str]]:
    """Write keys and the files that register broker and banks with each other; idempotent."""
    broker_dir = layout.root / "broker"
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
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SILTA_", "BANK_", "ISSUER", "PORT", "HOST"))
    }
    envs = {
        "broker": {
            **base,
            "SILTA_DEBUG": "1",
            "SILTA_INSTANCE_PATH": str(broker_dir),
            "SILTA_ISSUER": layout.broker_url,
            "SILTA_HOST": layout.host,
            "SILTA_PORT": str(layout.broker_port),
            "SILTA_BANKS_FILE": str(banks_file),
            "SILTA_FEDERATION_KEYS_FILE": str(keys_path),
        }
    }
    for i, (bank_id, _) in enumerate(BANKS):
        envs[bank_id] = {
            **base,
            "BANK_ID": bank_id,
            "BANK_INSTANCE_PATH": str(layout.root / f"bank-{bank_id}"),
            "BANK_ISSUER": layout.bank_url(i),
            "BANK_HOST": layout.host,
            "BANK_PORT": str(layout.bank_ports[i]),
            "BANK_CLIENTS_FILE": str(bank_clients),
        }
    return envs


def commands(layout: Layout) -> dict[str, list[str]]:
    found = {"broker": [_bin("silta")]}  # demo mode: generates its signing keys once
    found |= {
        bank_id: [_bin("silta-bank"), "run", "--bank", bank_id, "--demo"] for bank_id, _ in BANKS
    }
    return found


def health_urls(layout: Layout) -> dict[str, str]:
    urls = {"broker": layout.broker_url + "/.well-known/openid-configuration"}
    urls |= {bank_id: layout.bank_url(i) + "/healthz" for i, (bank_id, _) in enumerate(BANKS)}
    return urls


def wait_healthy(urls: dict[str, str], processes: dict[str, subprocess.Popen]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    waiting = dict(urls)
    while waiting:
        for name, url in list(waiting.items()):
            if processes[name].poll() is not None:
                raise click.ClickException(f"{name} stopped while starting; see its log above.")
            try:
                if requests.get(url, timeout=1).status_code == 200:
                    del waiting[name]
            except requests.RequestException:
                pass
        if time.monotonic() > deadline:
            raise click.ClickException(f"Not healthy after {START_TIMEOUT} s: {', '.join(waiting)}")
        time.sleep(0.2)


def test_logins(layout: Layout) -> list[tuple[str, dict]]:
    """Each bank's first customers, as the bank's own command lists them."""
    rows = []
    for i, (bank_id, name) in enumerate(BANKS):
        env = {
            **os.environ,
            "BANK_INSTANCE_PATH": str(layout.root / f"bank-{bank_id}"),
            "BANK_ISSUER": layout.bank_url(i),
        }
        listing = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [_bin("silta-bank"), "customers", "--bank", bank_id, "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        rows += [(name, c) for c in json.loads(listing.stdout) if not c["scenario"]][:3]
    return rows


def banner(layout: Layout) -> str:
    lines = [
        "",
        "Silta demo federation is up.",
        "",
        f"  {'Broker':<24}{layout.broker_url}",
        f"  {'My data (log in)':<24}{layout.broker_url}/account/",
    ]
    lines += [
        f"  {name:<20}{layout.bank_url(i)}   key codes: {layout.bank_url(i)}/demo/key-codes"
        for i, (_, name) in enumerate(BANKS)
    ]
    lines += [
        "",
        "  Test logins (customer number / password; the one-time key code changes every "
        "30 s and is shown on the bank's key-codes page):",
    ]
    lines += [
        f"    {bank:<24}{c['customer_number']}  {c['password']:<10}  {c['name']} ({c['hetu']})"
        for bank, c in test_logins(layout)
    ]
    lines += ["", "  Ctrl-C stops every process. `silta demo --reset` starts from scratch.", ""]
    return "\n".join(lines)


def run(layout: Layout, reset: bool) -> None:
    if reset and layout.root.exists():
        shutil.rmtree(layout.root)
    layout.root.mkdir(parents=True, exist_ok=True)
    envs = prepare(layout)
    processes: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    try:
        for name, command in commands(layout).items():
            processes[name] = subprocess.Popen(command, env=envs[name])  # noqa: S603 - ours
        wait_healthy(health_urls(layout), processes)
        click.echo(banner(layout))
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    click.echo(
                        f"{name} exited with status {process.returncode}; the others keep running.",
                        err=True,
                    )
                    processes = {k: p for k, p in processes.items() if k != name}
                    break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        click.echo("Stopped every demo process.")
