"""Commands that other packages add to `silta` through the ``silta.commands`` entry points.

`silta demo` (``federation``) and `silta compare` (``policy_sim``) are named in pyproject.toml's
``[project.entry-points."silta.commands"]``; each is imported only when it runs (or for
`silta --help`), so serving the broker never loads the demo world or the simulator
(ARCHITECTURE §7: ``idp`` imports neither).
"""

from __future__ import annotations

from importlib.metadata import EntryPoint
from importlib.metadata import entry_points

import click

GROUP = "silta.commands"


def plugged_in() -> dict[str, EntryPoint]:
    """The installed entry points of the group, by command name."""
    return {point.name: point for point in entry_points(group=GROUP)}


class EntryPointGroup(click.Group):
    """A click group whose commands are its own plus those of the entry points, loaded lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *plugged_in()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        own = super().get_command(ctx, cmd_name)
        if own is not None:
            return own
        point = plugged_in().get(cmd_name)
        if point is None:
            return None
        command = point.load()
        if not isinstance(command, click.Command):
            raise click.ClickException(f"The entry point {point.value} is not a click command.")
        return command
