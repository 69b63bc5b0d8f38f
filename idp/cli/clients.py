"""`silta clients`: the registrations of relying services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .context import with_app


@click.group()
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
@with_app
def clients_add(jwks_file: Path | None, no_refresh: bool, **options: Any) -> None:
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
@with_app
def clients_import(path: Path) -> None:
    """Register every [[clients]] table of a TOML file."""
    from .. import clients as registry

    try:
        ids = registry.import_file(path)
    except registry.ClientError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Registered: {', '.join(ids) or 'none'}")


@clients.command("list")
@with_app
def clients_list() -> None:
    """One line per registered service."""
    from ..storage import clients as stored

    for client in stored.every_client():
        click.echo(
            f"{client.client_id}\t{client.name}\t{client.token_endpoint_auth_method}\t"
            f"{client.subject_type}"
        )


@clients.command("show")
@click.argument("client_id")
@with_app
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
@with_app
def clients_remove(client_id: str) -> None:
    """Remove a registration."""
    from .. import clients as registry

    if not registry.remove(client_id):
        raise click.ClickException(f"No client {client_id!r}.")
    click.echo(f"Removed {client_id}.")
