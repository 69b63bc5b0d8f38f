"""`silta audit`: checks over the citizens' release logs."""

from __future__ import annotations

import click

from .context import with_app


@click.group()
def audit() -> None:
    """The citizens' release logs."""


@audit.command("verify")
@with_app
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
