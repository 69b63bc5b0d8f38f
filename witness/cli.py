"""The `silta-witness` command: run the witness, make its key, poll now, list alarms."""

from __future__ import annotations

import json
from typing import Any

import click

from .config import ConfigError


def _app(**overrides: Any) -> Any:
    from . import create_app

    try:
        return create_app(overrides)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def main() -> None:
    """Silta's witness: cosigns a transparency log's consistent checkpoints, alarms on others."""


@main.command()
@click.option("--demo", is_flag=True, help="Demo mode: sets DEBUG (key and token made).")
def run(demo: bool) -> None:
    """Serve the witness on HOST:PORT, polling every log each POLL_SECONDS."""
    import logging

    from werkzeug.serving import run_simple

    # The witness's events (witness.cosigned, witness.alarm, ...) go to standard error.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from .poller import Poller

    app = _app(**({"DEBUG": True} if demo else {}))
    config = app.config
    if config["POLL_SECONDS"]:
        Poller(app, config["POLL_SECONDS"]).start()
    click.echo(f"Witness {app.extensions['witness.key'].verifier}")
    click.echo(f"listening on {config['HOST']}:{config['PORT']}")
    run_simple(config["HOST"], config["PORT"], app, threaded=True, use_debugger=False)


@main.group()
def keys() -> None:
    """The witness's cosigning key."""


@keys.command("generate")
@click.option("--force", is_flag=True, help="Replace an existing key (its cosignatures stay).")
def keys_generate(force: bool) -> None:
    """Write a new Ed25519 cosignature/v1 key to <instance>/witness-key (mode 0600)."""
    from silta_common.tlog.keys import COSIGNATURE_V1
    from silta_common.tlog.keys import SignerKey

    from . import config
    from .keys import key_path
    from .keys import write_key

    values = config.load()
    path = key_path(values["INSTANCE_PATH"])
    signer = SignerKey.generate(values["NAME"], COSIGNATURE_V1)
    try:
        write_key(path, signer, overwrite=force)
    except FileExistsError:
        raise click.ClickException(f"{path} exists; pass --force to replace it.") from None
    click.echo(f"Wrote {path}. Publish the verifier key: {signer.verifier}")


@main.command("key")
def key_command() -> None:
    """Print the witness's verifier key string."""
    click.echo(str(_app().extensions["witness.key"].verifier))


@main.command("poll")
def poll_command() -> None:
    """Poll every log once; exit 1 if any checkpoint was refused."""
    from .poller import poll_all

    with _app().app_context():
        results = poll_all()
    click.echo(json.dumps(results, indent=2))
    if any(r["outcome"] == "refused" for r in results):
        raise SystemExit(1)


@main.command("alarms")
def alarms_command() -> None:
    """Print every alarm (JSON); exit 1 if there is any."""
    from .alarms import list_alarms

    with _app().app_context():
        found = list_alarms()
    click.echo(json.dumps(found, indent=2))
    if found:
        raise SystemExit(1)
