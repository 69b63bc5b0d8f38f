"""`silta keys`: the signing keys of the ID tokens, and the keys toward the banks."""

from __future__ import annotations

import json

import click

from ..config import ConfigError
from .context import AppContext
from .context import with_app


@click.group()
def keys() -> None:
    """Signing keys."""


@keys.command("generate")
@with_app
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
@with_app
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
@with_app
def keys_list() -> None:
    """List signing keys and their state (settling promotions that are due)."""
    from ..oidc import keys as signing_keys
    from ..storage import signing_keys as stored

    signing_keys.settle()
    for row in stored.all_keys():
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
