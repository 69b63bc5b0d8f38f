"""`silta` alone, `silta run` and `silta serve`: the broker as a development server or a node."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask import Flask

from ..config import WORKER_CLASSES
from ..config import ConfigError
from .context import AppContext


def start(app: Flask, demo: bool) -> None:
    """Prepare the broker, say where it is, and serve it with werkzeug's threaded server."""
    from werkzeug.serving import run_simple

    from ..ops.serving import retry_logouts

    prepare(app, demo)
    host, port = app.config["HOST"], app.config["PORT"]
    click.echo(f"Silta broker: {app.config['ISSUER']}  (listening on {host}:{port})")
    click.echo(f"Discovery:    {app.config['ISSUER']}/.well-known/openid-configuration")
    click.echo(f"My data:      {app.config['ISSUER']}/account/")
    # Owed back-channel logouts are retried by the serving process, as well as by sweep.
    retry_logouts(app, 15.0)
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


def prepare(app: Flask, demo: bool) -> None:
    """Once per node, before serving: schema, keys, federation keys, client registrations."""
    from ..authenticators.registry import check_federation_keys
    from ..clients import ClientError
    from ..clients import import_file
    from ..extensions import db
    from ..oidc import keys
    from ..ops import database

    with app.app_context():
        database.upgrade()
        if demo:
            created = keys.ensure_keys()
            if created:
                click.echo(f"Generated demo signing keys: {', '.join(created)}")
        if app.config["BANKS_FILE"]:
            try:
                check_federation_keys(app)
            except ConfigError as error:
                raise click.ClickException(str(error)) from None
        missing = keys.missing_algs()
        if missing:
            raise click.ClickException(
                f"Silta will not start: no current signing key for "
                f"{', '.join(missing)}. Run `silta keys generate`."
            )
        if app.config["CLIENTS_FILE"]:
            try:
                registered = import_file(Path(app.config["CLIENTS_FILE"]))
            except ClientError as error:
                raise click.ClickException(str(error)) from None
            click.echo(
                f"Clients from {app.config['CLIENTS_FILE']}: {', '.join(registered) or 'none'}"
            )
        db.engine.dispose()  # start serving with no connection held over


@click.command()
@click.pass_obj
def run(ctx: AppContext) -> None:
    """Start the broker with the configuration from the environment (fails fast without secrets)."""
    start(ctx.app, demo=False)


@click.command()
@click.option("--bind", help="host:port to listen on.  [default: SILTA_HOST:SILTA_PORT]")
@click.option("--workers", type=click.IntRange(min=1), help="[default: SILTA_SERVE_WORKERS]")
@click.option(
    "--worker-class",
    type=click.Choice(WORKER_CLASSES),
    help="[default: SILTA_SERVE_WORKER_CLASS]",
)
@click.option("--threads", type=click.IntRange(min=1), help="[default: SILTA_SERVE_THREADS]")
@click.option(
    "--graceful-timeout",
    type=click.IntRange(min=0),
    help="Seconds to finish requests in flight on stop.  [default: SILTA_SERVE_GRACEFUL_TIMEOUT]",
)
@click.pass_obj
def serve(
    ctx: AppContext,
    bind: str | None,
    workers: int | None,
    worker_class: str | None,
    threads: int | None,
    graceful_timeout: int | None,
) -> None:
    """Serve the broker under gunicorn: one production node (fails fast without secrets)."""
    from ..ops import serving

    chosen = dict(
        SERVE_WORKERS=workers,
        SERVE_WORKER_CLASS=worker_class,
        SERVE_THREADS=threads,
        SERVE_GRACEFUL_TIMEOUT=graceful_timeout,
    )
    ctx.overrides.update({k: v for k, v in chosen.items() if v is not None})
    run_dir = serving.prepare_run_dir()  # before the app exists: metrics need it at import
    try:
        app = ctx.app
        prepare(app, demo=False)
    except click.ClickException:
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    bind = bind or f"{app.config['HOST']}:{app.config['PORT']}"
    config = app.config
    click.echo(f"Silta broker node {config['NODE_NAME']}: {config['ISSUER']}, listening on {bind}")
    click.echo(f"Workers: {config['SERVE_WORKERS']} {config['SERVE_WORKER_CLASS']}")
    serving.run(app, bind, run_dir)
