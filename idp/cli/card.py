"""`silta card`: ID cards, through the issuing authority's operator API (card_api.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import IO
from typing import TypeVar

import click

from ..config import ConfigError
from .card_api import IssuerApi
from .card_api import OperatorError

T = TypeVar("T")


@click.group()
def card() -> None:
    """ID cards, through the issuing authority's operator API (SILTA_CARD_* settings)."""


def _issuer_api() -> IssuerApi:
    from .. import config

    try:
        return IssuerApi.from_config(config.load())
    except (ConfigError, OperatorError) as error:
        raise click.ClickException(str(error)) from None


def _operate(action: Callable[[], T]) -> T:
    try:
        return action()
    except OperatorError as error:
        raise click.ClickException(str(error)) from None


def _read_pin(pin_file: IO[str] | None, pin_stdin: bool) -> str:
    """The initial PIN from a file or stdin, never from an argument (argv is visible to all)."""
    if (pin_file is None) == (not pin_stdin):
        raise click.UsageError(
            "Give the initial PIN with exactly one of --pin-file or --pin-stdin."
        )
    if pin_file is not None:
        return pin_file.readline().strip()
    if sys.stdin.isatty():
        return str(click.prompt("Initial PIN", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().strip()


@card.command("issue")
@click.option("--holder", required=True, help="The holder's eID number, e.g. 100000001V.")
@click.option("--pin-file", type=click.File("r"), help="File whose first line is the initial PIN.")
@click.option("--pin-stdin", is_flag=True, help="Read the initial PIN from standard input.")
@click.option("--algorithm", type=click.Choice(["EC-P256", "RSA-2048"]), help="Card key type.")
@click.option("--json", "as_json", is_flag=True, help="Print the issued card as JSON.")
def card_issue(
    holder: str, pin_file: IO[str] | None, pin_stdin: bool, algorithm: str | None, as_json: bool
) -> None:
    """Issue a card with an initial PIN (this stands in for the sealed PIN letter)."""
    pin = _read_pin(pin_file, pin_stdin)
    issued = _operate(lambda: _issuer_api().issue(holder, pin, algorithm))
    if as_json:
        click.echo(json.dumps(issued, ensure_ascii=False, indent=2))
        return
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
