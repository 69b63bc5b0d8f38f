"""The `silta` command: run the broker, and operate keys, clients, database, cards and audit.

One module per command group; commands of other packages (`silta demo` from ``federation``,
`silta compare` from ``policy_sim``) join through the ``silta.commands`` entry points
(commands.py), so the broker never imports them.
"""

from __future__ import annotations

import click

from .audit import audit
from .card import card
from .clients import clients
from .commands import EntryPointGroup
from .context import AppContext
from .db import db
from .db import sweep
from .keys import keys
from .run import run
from .run import serve
from .run import start


@click.group(cls=EntryPointGroup, invoke_without_command=True)
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
        start(ctx.obj.app, demo=True)


for command in (run, serve, db, sweep, keys, clients, card, audit):
    main.add_command(command)
