"""The `silta` command: run the broker, and operate keys, clients, database and audit."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .config import ConfigError


class AppContext:
    """Builds the app once, on first use, so `silta --help` needs no configuration."""

    def __init__(self, overrides: dict | None = None) -> None:
        self.overrides = overrides or {}
        self._app = None

    def close(self) -> None:
        """Hand back pooled database connections when the command ends."""
        if self._app is not None:
            from .extensions import db

            with self._app.app_context():
                db.engine.dispose()

    @property
    def app(self):
        if self._app is None:
            from . import create_app

            try:
                self._app = create_app(self.overrides)
            except ConfigError as error:
                raise click.ClickException(str(error)) from None
        return self._app


def _with_app(function):
    @click.pass_obj
    def wrapper(ctx: AppContext, *args, **kwargs):
        with ctx.app.app_context():
            return function(*args, **kwargs)

    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


@click.group(invoke_without_command=True)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Silta, the bank-federated identity broker.

    Without a command: start the broker alone for a local demo (debug mode, embedded SQLite,
    generated demo keys) on 127.0.0.1:8400.
    """
    from . import logs

    logs.configure()
    demo = ctx.invoked_subcommand is None
    ctx.obj = AppContext({"DEBUG": True} if demo else None)
    ctx.call_on_close(ctx.obj.close)
    if demo:
        _start(ctx.obj.app, demo=True)


@main.command()
@click.option("--reset", is_flag=True, help="Delete the demo's data and keys first.")
@click.option(
    "--dir",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("instance") / "demo",
    show_default=True,
    help="Where the demo keeps data.",
)
@click.option("--broker-port", default=8400, show_default=True)
@click.option("--bank-ports", default="8411,8412,8413", show_default=True)
def demo(reset: bool, root: Path, broker_port: int, bank_ports: str) -> None:
    """Start the broker and three banks as separate processes, with keys exchanged."""
    from . import demo as federation_demo

    ports = tuple(int(p) for p in bank_ports.split(","))
    if len(ports) != len(federation_demo.BANKS):
        raise click.BadParameter("give one port per bank", param_hint="--bank-ports")
    layout = federation_demo.Layout(root.resolve(), broker_port=broker_port, bank_ports=ports)
    federation_demo.run(layout, reset)


@main.command()
@click.pass_obj
def run(ctx: AppContext) -> None:
    """Start the broker with the configuration from the environment (fails fast without secrets)."""
    _start(ctx.app, demo=False)


def _start(app, demo: bool) -> None:
    from . import database
    from .clients import ClientError
    from .clients import import_file
    from .oidc import keys

    with app.app_context():
        database.upgrade()
        if demo:
            created = keys.ensure_keys()
            if created:
                click.echo(f"Generated demo signing keys: {', '.join(created)}")
        if app.config["BANKS_FILE"]:
            from .authenticators import federation
            from .authenticators.registry import federation_keys_path

            try:
                federation.load(federation_keys_path(app))
            except federation.FederationKeyError as error:
                raise click.ClickException(f"Silta will not start: {error}") from None
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
    host, port = app.config["HOST"], app.config["PORT"]
    click.echo(f"Silta broker: {app.config['ISSUER']}  (listening on {host}:{port})")
    click.echo(f"Discovery:    {app.config['ISSUER']}/.well-known/openid-configuration")
    click.echo(f"My data:      {app.config['ISSUER']}/account/")
    from werkzeug.serving import run_simple

    _retry_logouts_in_background(app)

    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


def _retry_logouts_in_background(app, every: float = 15.0) -> None:
    """Owed back-channel logouts are retried by each serving process, as well as by sweep."""
    import threading
    import time

    from .oidc import backchannel

    def loop() -> None:
        while True:
            time.sleep(every)
            with app.app_context():
                try:
                    backchannel.deliver_due()
                except Exception:  # a retry loop must outlive one bad round
                    app.logger.exception("logout retries failed; trying again later")

    threading.Thread(target=loop, name="backchannel-logout", daemon=True).start()


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@_with_app
def db_upgrade() -> None:
    """Apply every pending migration."""
    from . import database

    database.upgrade()
    click.echo("Database schema is up to date.")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@_with_app
def db_revision(message: str) -> None:
    """Write a migration for model changes (compare against an up-to-date database)."""
    from . import database

    database.revision(message)


@main.command()
@click.option("--grace", default=3600, show_default=True, help="Seconds past expiry to keep rows.")
@_with_app
def sweep(grace: int) -> None:
    """Delete expired interactions, codes, sessions, tokens and assertion ids."""
    from . import database

    for name, count in database.sweep(grace).items():
        click.echo(f"{name}: {count} deleted")


@main.group()
def keys() -> None:
    """Signing keys."""


@keys.command("generate")
@_with_app
def keys_generate() -> None:
    """Create a current signing key for every algorithm that lacks one."""
    from .oidc import keys as signing_keys

    created = signing_keys.ensure_keys()
    click.echo(
        f"Created: {', '.join(created)}" if created else "Every algorithm has a current key."
    )


@keys.command("rotate")
@click.option(
    "--alg",
    "algs",
    multiple=True,
    type=click.Choice(["RS256", "ES256"]),
    help="Only these algorithms (default: all).",
)
@_with_app
def keys_rotate(algs: tuple[str, ...]) -> None:
    """Add the next signing key: published at once, signing after SILTA_KEY_PROMOTION_GRACE."""
    from flask import current_app

    from .oidc import keys as signing_keys

    created = signing_keys.rotate(algs or signing_keys.SIGNING_ALGS)
    grace = current_app.config["KEY_PROMOTION_GRACE"]
    click.echo(
        f"Next keys {', '.join(created)}: published now, signing in {grace} s. Every node "
        "follows without a restart."
    )


@keys.command("list")
@_with_app
def keys_list() -> None:
    """List signing keys and their state (settling promotions that are due)."""
    from .extensions import db as database
    from .oidc import keys as signing_keys
    from .storage.models import SigningKey

    signing_keys.settle()
    for row in database.session.execute(
        database.select(SigningKey).order_by(SigningKey.created_at)
    ).scalars():
        click.echo(f"{row.kid}  {row.alg}  {row.state}")


@keys.command("federation")
@click.option("--public", is_flag=True, help="Print the public JWKS to hand to the banks.")
@click.option("--force", is_flag=True, help="Replace existing keys (banks must get the new JWKS).")
@click.pass_obj
def keys_federation(ctx: AppContext, public: bool, force: bool) -> None:
    """Create (or show) the broker's signing and encryption keys toward banks."""
    from .authenticators import federation
    from .authenticators.registry import federation_keys_path

    path = federation_keys_path(ctx.app)
    try:
        if public:
            click.echo(json.dumps(federation.load(path).public_jwks(), indent=2))
            return
        if path.exists() and not force:
            federation.load(path)
            click.echo(f"Federation keys already exist at {path} (use --force to replace).")
            return
        federation.generate(path)
    except federation.FederationKeyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote federation keys to {path}. Give the banks: silta keys federation --public")


@main.group()
def clients() -> None:
    """Client registrations of relying services."""


@clients.command("add")
@click.option("--client-id", required=True)
@click.option("--name", required=True, help="Display name, at most 40 characters.")
@click.option("--purpose", default="", help="Why the service needs the data, shown at consent.")
@click.option("--redirect-uri", "redirect_uris", multiple=True, required=True)
@click.option("--post-logout-redirect-uri", "post_logout_redirect_uris", multiple=True)
@click.option(
    "--auth-method",
    "token_endpoint_auth_method",
    default="client_secret_basic",
    type=click.Choice(["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]),
)
@click.option("--jwks-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--jwks-uri")
@click.option("--sector-identifier")
@click.option("--subject-type", default="pairwise", type=click.Choice(["pairwise", "public"]))
@click.option("--scope", "allowed_scopes", multiple=True, help="Allowed scope (repeat).")
@click.option("--claim", "allowed_claims", multiple=True, help="Allowed claim (repeat).")
@click.option("--national-id-entitled", is_flag=True)
@click.option(
    "--id-token-alg",
    "id_token_signed_response_alg",
    default="RS256",
    type=click.Choice(["RS256", "ES256"]),
)
@click.option(
    "--id-token-enc-alg",
    "id_token_encrypted_response_alg",
    type=click.Choice(["RSA-OAEP", "RSA-OAEP-256", "ECDH-ES"]),
    help="Encrypt ID tokens to the client's key (needs --jwks-file or --jwks-uri).",
)
@click.option(
    "--id-token-enc",
    "id_token_encrypted_response_enc",
    type=click.Choice(["A128CBC-HS256", "A256GCM"]),
)
@click.option("--required-acr")
@click.option(
    "--require-signed-request-object",
    is_flag=True,
    help="Accept only signed request objects (RFC 9101); needs the client's keys.",
)
@click.option(
    "--require-par",
    "require_pushed_authorization_requests",
    is_flag=True,
    help="Accept only pushed authorization requests (RFC 9126).",
)
@click.option("--no-refresh", is_flag=True, help="Do not issue refresh tokens.")
@_with_app
def clients_add(jwks_file, no_refresh, **options) -> None:
    """Register a service; prints a generated secret once."""
    from . import clients as registry

    data = {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in options.items()
        if v not in (None, ())
    }
    if jwks_file:
        data["jwks"] = json.loads(jwks_file.read_text())
    data["grant_types"] = (
        ["authorization_code"] if no_refresh else ["authorization_code", "refresh_token"]
    )
    try:
        client, secret = registry.register(data)
    except registry.ClientError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Registered {client.client_id}.")
    if secret:
        click.echo(f"client_secret: {secret}\n(Shown only now: it is stored hashed.)")


@clients.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_with_app
def clients_import(path: Path) -> None:
    """Register every [[clients]] table of a TOML file."""
    from . import clients as registry

    try:
        ids = registry.import_file(path)
    except registry.ClientError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Registered: {', '.join(ids) or 'none'}")


@clients.command("list")
@_with_app
def clients_list() -> None:
    """One line per registered service."""
    from .extensions import db as database
    from .storage.models import Client

    for client in database.session.execute(
        database.select(Client).order_by(Client.client_id)
    ).scalars():
        click.echo(
            f"{client.client_id}\t{client.name}\t{client.token_endpoint_auth_method}\t"
            f"{client.subject_type}"
        )


@clients.command("show")
@click.argument("client_id")
@_with_app
def clients_show(client_id: str) -> None:
    """A registration as JSON (never the secret)."""
    from . import clients as registry
    from .extensions import db as database
    from .storage.models import Client

    client = database.session.get(Client, client_id)
    if client is None:
        raise click.ClickException(f"No client {client_id!r}.")
    click.echo(json.dumps(registry.describe(client), indent=2, ensure_ascii=False))


@clients.command("remove")
@click.argument("client_id")
@_with_app
def clients_remove(client_id: str) -> None:
    """Remove a registration."""
    from . import clients as registry

    if not registry.remove(client_id):
        raise click.ClickException(f"No client {client_id!r}.")
    click.echo(f"Removed {client_id}.")


@main.group()
def audit() -> None:
    """The citizens' release logs."""


@audit.command("verify")
@_with_app
def audit_verify() -> None:
    """Check every person's release-log hash chain; exit 1 if any is broken."""
    from .audit import release_log

    statuses = release_log.verify_all()
    broken = [s for s in statuses if not s.ok]
    for status in broken:
        click.echo(f"person {status.person_id}: chain broken at entry {status.broken_at}", err=True)
    click.echo(
        f"{len(statuses)} chains, {sum(s.entries for s in statuses)} entries, {len(broken)} broken."
    )
    if broken:
        raise SystemExit(1)
