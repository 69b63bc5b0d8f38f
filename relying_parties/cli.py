"""The `silta-rp` command: run a demo service, or print its broker registration."""

from __future__ import annotations

import click

from .services import SERVICES

SERVICE_OPTION = click.option(
    "--service", "service_id", required=True, type=click.Choice(SERVICES), help="Which service."
)
INSTANCE_OPTION = click.option(
    "--instance", type=click.Path(file_okay=False), help="Instance folder (keys, secret, data)."
)


def _values(service_id: str, check, **overrides) -> dict:
    from . import config

    given = {k: v for k, v in overrides.items() if v not in (None, "")}
    try:
        values = config.load({"SERVICE": service_id, **given})
        getattr(config, check)(values)
    except config.ConfigError as error:
        raise click.ClickException(str(error)) from None
    return values


@click.group()
def main() -> None:
    """Silta's demo government services: OpenID Connect clients of the broker."""


@main.command()
@SERVICE_OPTION
@click.option("--port", type=int, help="Port to listen on (default: the service's demo port).")
@click.option("--broker", help="The broker's issuer URL (default http://127.0.0.1:8400).")
@INSTANCE_OPTION
@click.option("--demo", is_flag=True, help="Demo mode: secret and credentials are made and kept.")
def run(service_id: str, port: int | None, broker: str | None, instance: str | None, demo: bool):
    """Serve the service on HOST:PORT (threaded)."""
    from werkzeug.serving import run_simple

    from . import create_app
    from .config import ConfigError

    values = _values(
        service_id,
        "check",
        PORT=port,
        BROKER_URL=broker,
        INSTANCE_PATH=instance,
        DEBUG=demo or None,
    )
    try:
        app = create_app(values)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    config = app.config
    name = config["SERVICE_SETTINGS"].name["en"]
    click.echo(f"{name} at {config['BASE_URL']} (broker {config['BROKER_URL']})")
    run_simple(config["HOST"], config["PORT"], app, threaded=True, use_debugger=False)


@main.command("registration")
@SERVICE_OPTION
@click.option("--base-url", help="The service's origin (default http://127.0.0.1:<demo port>).")
@INSTANCE_OPTION
def registration_command(service_id: str, base_url: str | None, instance: str | None) -> None:
    """Print the broker registration (TOML for `silta clients import`); make credentials once."""
    from pathlib import Path

    from . import registration
    from .credentials import CredentialsError

    values = _values(service_id, "check_urls", BASE_URL=base_url, INSTANCE_PATH=instance)
    try:
        fields = registration.registration(
            values["SERVICE_SETTINGS"], values["BASE_URL"], Path(values["INSTANCE_PATH"])
        )
    except CredentialsError as error:
        raise click.ClickException(str(error)) from None
    click.echo(registration.as_toml(fields), nl=False)
