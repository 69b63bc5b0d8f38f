"""The `silta` command: run the broker, and operate keys, clients, database and audit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..config import WORKER_CLASSES
from ..config import ConfigError


class AppContext:
    """Builds the app once, on first use, so `silta --help` needs no configuration."""

    def __init__(self, overrides: dict | None = None) -> None:
        self.overrides = overrides or {}
        self._app = None

    def close(self) -> None:
        """Hand back pooled database connections when the command ends."""
        if self._app is not None:
            from ..extensions import db

            with self._app.app_context():
                db.engine.dispose()

    @property
    def app(self):
        if self._app is None:
            from .. import create_app

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
    from ..ops import logs

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
    help="Where the demo keeps data and logs.",
)
@click.option(
    "--port-offset",
    default=0,
    show_default=True,
    type=click.IntRange(-8000, 50000),
    help="Added to every demo port (8400-8434), to run a second demo beside one.",
)
@click.option(
    "--without",
    multiple=True,
    type=click.Choice(["reader", "services"]),
    help="Leave a part out (repeat), e.g. while working on it.",
)
def demo(reset: bool, root: Path, port_offset: int, without: tuple[str, ...]) -> None:
    """Start the whole federation: broker, banks, card issuer and reader, services, start page."""
    from federation import demo as federation_demo
    from federation.layout import Layout

    federation_demo.run(Layout(root.resolve(), offset=port_offset), reset, frozenset(without))


@main.command()
@click.pass_obj
def run(ctx: AppContext) -> None:
    """Start the broker with the configuration from the environment (fails fast without secrets)."""
    _start(ctx.app, demo=False)


@main.command()
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
def serve(ctx: AppContext, bind, workers, worker_class, threads, graceful_timeout) -> None:
    """Serve the broker under gunicorn: one production node (fails fast without secrets)."""
    import shutil

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
        _prepare(app, demo=False)
    except click.ClickException:
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    bind = bind or f"{app.config['HOST']}:{app.config['PORT']}"
    config = app.config
    click.echo(f"Silta broker node {config['NODE_NAME']}: {config['ISSUER']}, listening on {bind}")
    click.echo(f"Workers: {config['SERVE_WORKERS']} {config['SERVE_WORKER_CLASS']}")
    serving.run(app, bind, run_dir)


def _start(app, demo: bool) -> None:
    _prepare(app, demo)
    host, port = app.config["HOST"], app.config["PORT"]
    click.echo(f"Silta broker: {app.config['ISSUER']}  (listening on {host}:{port})")
    click.echo(f"Discovery:    {app.config['ISSUER']}/.well-known/openid-configuration")
    click.echo(f"My data:      {app.config['ISSUER']}/account/")
    from werkzeug.serving import run_simple

    _retry_logouts_in_background(app)

    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


def _prepare(app, demo: bool) -> None:
    """Once per node, before serving: schema, keys, federation keys, client registrations."""
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
            from ..authenticators.registry import check_federation_keys

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


def _retry_logouts_in_background(app, every: float = 15.0) -> None:
    """Owed back-channel logouts are retried by the serving process, as well as by sweep."""
    from ..ops.serving import retry_logouts

    retry_logouts(app, every)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@_with_app
def db_upgrade() -> None:
    """Apply every pending migration."""
    from ..ops import database

    database.upgrade()
    click.echo("Database schema is up to date.")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@_with_app
def db_revision(message: str) -> None:
    """Write a migration for model changes (compare against an up-to-date database)."""
    from ..ops import database

    database.revision(message)


@main.command()
@click.option("--grace", default=3600, show_default=True, help="Seconds past expiry to keep rows.")
@_with_app
def sweep(grace: int) -> None:
    """Delete expired interactions, codes, sessions, tokens and assertion ids."""
    from ..ops import database

    for name, count in database.sweep(grace).items():
        click.echo(f"{name}: {count} deleted")


@main.group()
def keys() -> None:
    """Signing keys."""


@keys.command("generate")
@_with_app
def keys_generate() -> None:
    """Create a current signing key for every algorithm that lacks one."""
    from ..oidc import keys as signing_keys

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

    from ..oidc import keys as signing_keys

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
    from ..extensions import db as database
    from ..oidc import keys as signing_keys
    from ..storage.models import SigningKey

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
    from ..authenticators import registry

    path = registry.federation_keys_path(ctx.app)
    try:
        if public:
            click.echo(json.dumps(registry.federation_public_jwks(ctx.app), indent=2))
            return
        if not registry.create_federation_keys(ctx.app, replace=force):
            click.echo(f"Federation keys already exist at {path} (use --force to replace).")
            return
    except ConfigError as error:
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
    "--token-endpoint-auth-method",
    "--auth-method",
    "token_endpoint_auth_method",
    default="client_secret_basic",
    type=click.Choice(
        [
            "client_secret_basic",
            "client_secret_post",
            "client_secret_jwt",
            "private_key_jwt",
            "none",
        ]
    ),
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
@click.option(
    "--dpop-bound-access-tokens",
    is_flag=True,
    help="Refuse token requests without a DPoP proof (RFC 9449 §5.2).",
)
@click.option("--no-refresh", is_flag=True, help="Do not issue refresh tokens.")
@_with_app
def clients_add(jwks_file, no_refresh, **options) -> None:
    """Register a service; prints a generated secret once."""
    from .. import clients as registry

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
        # client_secret_jwt needs the secret itself to check HMACs: it is kept encrypted.
        stored = "encrypted" if client.client_secret_encrypted else "hashed"
        click.echo(f"client_secret: {secret}\n(Shown only now: it is stored {stored}.)")


@clients.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_with_app
def clients_import(path: Path) -> None:
    """Register every [[clients]] table of a TOML file."""
    from .. import clients as registry

    try:
        ids = registry.import_file(path)
    except registry.ClientError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Registered: {', '.join(ids) or 'none'}")


@clients.command("list")
@_with_app
def clients_list() -> None:
    """One line per registered service."""
    from ..extensions import db as database
    from ..storage.models import Client

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
    from .. import clients as registry
    from ..extensions import db as database
    from ..storage.models import Client

    client = database.session.get(Client, client_id)
    if client is None:
        raise click.ClickException(f"No client {client_id!r}.")
    click.echo(json.dumps(registry.describe(client), indent=2, ensure_ascii=False))


@clients.command("remove")
@click.argument("client_id")
@_with_app
def clients_remove(client_id: str) -> None:
    """Remove a registration."""
    from .. import clients as registry

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
    from ..audit import release_log

    statuses = release_log.verify_all()
    broken = [s for s in statuses if not s.ok]
    for status in broken:
        click.echo(f"person {status.person_id}: chain broken at entry {status.broken_at}", err=True)
    click.echo(
        f"{len(statuses)} chains, {sum(s.entries for s in statuses)} entries, {len(broken)} broken."
    )
    if broken:
        raise SystemExit(1)


@main.group()
def card() -> None:
    """ID cards, through the issuing authority's operator API (SILTA_CARD_* settings)."""


def _issuer_api():
    from federation.operator_api import IssuerApi
    from federation.operator_api import OperatorError

    from .. import config

    try:
        return IssuerApi.from_config(config.load())
    except (ConfigError, OperatorError) as error:
        raise click.ClickException(str(error)) from None


def _operate(action):
    from federation.operator_api import OperatorError

    try:
        return action()
    except OperatorError as error:
        raise click.ClickException(str(error)) from None


def _read_pin(pin_file, pin_stdin: bool) -> str:
    """The initial PIN from a file or stdin, never from an argument (argv is visible to all)."""
    if (pin_file is None) == (not pin_stdin):
        raise click.UsageError(
            "Give the initial PIN with exactly one of --pin-file or --pin-stdin."
        )
    if pin_file is not None:
        return pin_file.readline().strip()
    if sys.stdin.isatty():
        return click.prompt("Initial PIN", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().strip()


@card.command("issue")
@click.option("--holder", required=True, help="The holder's eID number, e.g. 100000001V.")
@click.option("--pin-file", type=click.File("r"), help="File whose first line is the initial PIN.")
@click.option("--pin-stdin", is_flag=True, help="Read the initial PIN from standard input.")
@click.option("--algorithm", type=click.Choice(["EC-P256", "RSA-2048"]), help="Card key type.")
def card_issue(holder: str, pin_file, pin_stdin: bool, algorithm: str | None) -> None:
    """Issue a card with an initial PIN (this stands in for the sealed PIN letter)."""
    pin = _read_pin(pin_file, pin_stdin)
    issued = _operate(lambda: _issuer_api().issue(holder, pin, algorithm))
    click.echo(f"Issued card {issued['serial']} to {issued['name']} ({issued['holder']}).")


@card.command("list")
@click.option("--holder", help="Only this holder's cards (eID number).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def card_list(holder: str | None, as_json: bool) -> None:
    """Every card with its holder and status."""
    rows = _operate(lambda: _issuer_api().list_cards(holder))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['serial']}  {row['holder']}  {row['status']:<8} {row['name']}")


@card.command("revoke")
@click.argument("serial")
@click.option("--lost", is_flag=True, help="The card is lost (revocation reason keyCompromise).")
def card_revoke(serial: str, lost: bool) -> None:
    """Revoke a card at once: OCSP and the CRL say revoked from now on."""
    answer = _operate(lambda: _issuer_api().revoke(serial, lost))
    state = "revoked" if answer["changed"] else "was already revoked"
    click.echo(f"Card {answer['serial']} {state} (status {answer['status']}).")


@card.command("reset-authorise")
@click.argument("serial")
@click.option(
    "--identity-checked",
    is_flag=True,
    help="Confirm you checked the holder's identity in person.",
)
def card_reset_authorise(serial: str, identity_checked: bool) -> None:
    """Authorise a PIN reset; print the one-time code to hand to the citizen (never a PIN)."""
    if not identity_checked:
        raise click.UsageError(
            "Check the holder's identity in person, then pass --identity-checked."
        )
    answer = _operate(lambda: _issuer_api().authorise_reset(serial))
    hours = answer["expires_in"] // 3600
    click.echo(
        f"One-time reset code for card {answer['card_serial']}: {answer['code']}\n"
        f"Give it to the citizen only. It works once, for {hours} hours; the citizen types it "
        "and then a new PIN of their own choice into the reader bridge."
    )


@main.command(
    "compare",
    add_help_option=False,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.pass_context
def compare(ctx: click.Context) -> None:
    """Compare identification policies on the live demo federation (policy_sim; --help)."""
    # Imported here: the broker never loads the simulator (or matplotlib) to serve, and
    # policy_sim itself never imports the broker (ARCHITECTURE §7).
    from policy_sim.cli import compare as policy_compare

    policy_compare.main(args=ctx.args, prog_name="silta compare", standalone_mode=False)
