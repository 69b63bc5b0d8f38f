"""`silta demo`: joins the `silta` command through the ``silta.commands`` entry point."""

from __future__ import annotations

from pathlib import Path

import click

from . import demo as federation_demo
from .layout import Layout


@click.command("demo")
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
    federation_demo.run(Layout(root.resolve(), offset=port_offset), reset, frozenset(without))
