"""`silta db` and `silta sweep`: the schema, and the rows past their expiry."""

from __future__ import annotations

import click

from .context import with_app


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@with_app
def db_upgrade() -> None:
    """Apply every pending migration."""
    from ..ops import database

    database.upgrade()
    click.echo("Database schema is up to date.")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@with_app
def db_revision(message: str) -> None:
    """Write a migration for model changes (compare against an up-to-date database)."""
    from ..ops import database

    database.revision(message)


@click.command()
@click.option("--grace", default=3600, show_default=True, help="Seconds past expiry to keep rows.")
@with_app
def sweep(grace: int) -> None:
    """Delete expired interactions, codes, sessions, tokens and assertion ids."""
    from ..ops import database

    for name, count in database.sweep(grace).items():
        click.echo(f"{name}: {count} deleted")
