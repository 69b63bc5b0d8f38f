"""The `silta-bank` command: run a bank, make its signing key, seed and list its customers."""

from __future__ import annotations

import base64
import json

import click

from .banks import BANKS
from .config import ConfigError

BANK_OPTION = click.option(
    "--bank", "bank_id", required=True, type=click.Choice(list(BANKS)), help="Which bank."
)


def _values(bank_id: str, **overrides) -> dict:
    from . import config

    try:
        return config.load({"BANK_ID": bank_id, **overrides})
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def main() -> None:
    """Silta's mock banks: fictional Finnish banks, each a complete FTN OpenID Provider."""


@main.command()
@BANK_OPTION
@click.option("--demo", is_flag=True, help="Demo mode: sets DEBUG and DEMO_PAGES.")
def run(bank_id: str, demo: bool) -> None:
    """Serve the bank on HOST:PORT (threaded), after seeding its customers."""
    from werkzeug.serving import run_simple

    from . import create_app
    from .seed import seed

    overrides = {"DEBUG": True, "DEMO_PAGES": True} if demo else {}
    try:
        app = create_app(_values(bank_id, **overrides))
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    with app.app_context():
        seed(bank_id)
    config = app.config
    if not app.extensions["bank.clients"]:
        click.echo("No broker is registered: set BANK_CLIENTS_FILE (see bank_mock/README.md).")
    listening = f"{config['HOST']}:{config['PORT']}"
    click.echo(f"{BANKS[bank_id].name} at {config['ISSUER']} (listening on {listening})")
    run_simple(config["HOST"], config["PORT"], app, threaded=True, use_debugger=False)


@main.group()
def keys() -> None:
    """The bank's signing key."""


@keys.command("generate")
@BANK_OPTION
@click.option("--force", is_flag=True, help="Replace an existing key.")
def keys_generate(bank_id: str, force: bool) -> None:
    """Write a new RS256 signing key to <instance>/bank-signing-key.json (mode 0600)."""
    from . import keys as bank_keys

    path = bank_keys.key_path(_values(bank_id)["INSTANCE_PATH"])
    key = bank_keys.generate_key()
    try:
        bank_keys.write_key(path, key, overwrite=force)
    except FileExistsError:
        raise click.ClickException(f"{path} exists; pass --force to replace it.") from None
    click.echo(f"Wrote {path} (kid {key.kid}).")


@main.command("seed")
@BANK_OPTION
@click.option("--count", default=0, show_default=True, help="Synthetic citizens to include.")
def seed_command(bank_id: str, count: int) -> None:
    """Add the demo customers to the bank's register (idempotent)."""
    from . import create_data_app
    from .extensions import db
    from .seed import seed

    with create_data_app(_values(bank_id)).app_context():
        added = seed(bank_id, count)
        db.engine.dispose()
    click.echo(f"{BANKS[bank_id].name}: {added} customers added.")


@main.command("customers")
@BANK_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--count", default=0, show_default=True, help="Synthetic citizens to include.")
def customers_command(bank_id: str, as_json: bool, count: int) -> None:
    """Print the demo customers: customer number, password, name, HETU, current key code."""
    from . import customers
    from . import totp

    rows = [
        {
            "customer_number": a.customer_number,
            "password": a.password,
            "name": a.citizen.name,
            "hetu": a.citizen.hetu,
            "key_code": totp.code_at(customers.totp_secret(bank_id, a.customer_number)),
            # RFC 4648 base32, as authenticator apps take it: drivers can make codes later.
            "totp_secret": base64.b32encode(customers.totp_secret(bank_id, a.customer_number))
            .decode()
            .rstrip("="),
            "scenario": a.scenario,
        }
        for a in customers.accounts_for(bank_id, count)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{BANKS[bank_id].name} — key codes change in {totp.seconds_left()} s")
    click.echo(f"{'Customer':<10}{'Password':<16}{'Name':<26}{'HETU':<13}{'Code':<8}Scenario")
    for r in rows:
        click.echo(
            f"{r['customer_number']:<10}{r['password']:<16}{r['name']:<26}{r['hetu']:<13}"
            f"{r['key_code']:<8}{r['scenario'] or ''}"
        )
