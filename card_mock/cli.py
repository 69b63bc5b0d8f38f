"""The `silta-card` command: run and set up the issuing authority, issue and manage cards.

Settings come from ``CARD_*`` environment variables (card_mock/issuer/config.py). A PIN is
never a command-line argument: ``card issue`` reads the demo PIN from a file or stdin.
"""

from __future__ import annotations

import json
import sys

import click

from .issuer.config import ConfigError
from .token import KEY_ALGORITHMS


def _values(**overrides) -> dict:
    from .issuer import config

    try:
        values = config.load(overrides)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    if values["KEY_ALGORITHM"] not in KEY_ALGORITHMS:
        raise click.ClickException(
            f"CARD_KEY_ALGORITHM must be one of {', '.join(KEY_ALGORITHMS)}."
        )
    return values


def _data_app(**overrides):
    from .issuer import create_data_app

    return create_data_app(_values(**overrides))


@click.group()
def main() -> None:
    """Silta's ID-card world: the issuing authority and its virtual cards."""


@main.group()
def issuer() -> None:
    """The issuing authority."""


@issuer.command("init")
def issuer_init() -> None:
    """Create the root and card-issuing CAs in the instance folder (once)."""
    from .issuer import ca

    values = _values()
    created = ca.create(values["INSTANCE_PATH"], values["KEY_ALGORITHM"])
    authority = ca.load(values["INSTANCE_PATH"], values["KEY_ALGORITHM"])
    click.echo(
        ("Created" if created else "Already present:") + f" {ca.ca_folder(values['INSTANCE_PATH'])}"
    )
    for name, cert in (("root", authority.root), ("issuing", authority.issuing.certificate)):
        click.echo(f"  {name}: {cert.subject.rfc4514_string()} (serial {cert.serial_number:x})")


@issuer.command("run")
@click.option("--demo", is_flag=True, help="Demo mode: sets DEBUG and SEED_DEMO_HOLDERS.")
def issuer_run(demo: bool) -> None:
    """Serve the authority on HOST:PORT (threaded), after crash recovery."""
    from werkzeug.serving import run_simple

    from .issuer import create_app
    from .issuer.demo import demo_credentials

    overrides = {"DEBUG": True, "SEED_DEMO_HOLDERS": True} if demo else {}
    try:
        app = create_app(_values(**overrides))
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    config = app.config
    if config["DEBUG"]:
        from pathlib import Path

        for who, secret in demo_credentials(Path(app.instance_path)).items():
            click.echo(f"  demo {who}: {secret}")
    click.echo(
        f"Card issuer at {config['ISSUER_URL']} (listening on {config['HOST']}:{config['PORT']})"
    )
    run_simple(config["HOST"], config["PORT"], app, threaded=True, use_debugger=False)


@main.group()
def reader() -> None:
    """The citizen's reader bridge (the PIN page and the card's signatures)."""


@reader.command("run")
@click.option("--port", type=int, help="Default: READER_PORT (8421).")
@click.option("--demo", is_flag=True, help="Demo mode: READER_DEBUG, the demo issuer's cards.")
def reader_run(port: int | None, demo: bool) -> None:
    """Serve the bridge on READER_HOST:PORT (threaded), after crash recovery."""
    from werkzeug.serving import run_simple

    from .reader import create_app
    from .reader.config import ConfigError as ReaderConfigError

    overrides: dict = {"DEBUG": True} if demo else {}
    if port is not None:
        overrides["PORT"] = port
    try:
        app = create_app(overrides)
    except ReaderConfigError as error:
        raise click.ClickException(str(error)) from None
    config = app.config
    click.echo(
        f"Card reader bridge at http://{config['HOST']}:{config['PORT']} for "
        f"{', '.join(config['ALLOWED_ORIGINS'])}; cards in {config['TOKEN_FOLDER']}"
    )
    run_simple(config["HOST"], config["PORT"], app, threaded=True, use_debugger=False)


@main.group()
def card() -> None:
    """Cards: issue, list, revoke, authorise a PIN reset."""


def _read_pin(pin_file, pin_stdin: bool) -> str:
    if (pin_file is None) == (not pin_stdin):
        raise click.UsageError("Give the demo PIN with exactly one of --pin-file or --pin-stdin.")
    if pin_file is not None:
        return pin_file.readline().strip()
    if sys.stdin.isatty():
        return click.prompt("Demo PIN", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().strip()


@card.command("issue")
@click.option("--holder", "eid", required=True, help="The holder's eID number.")
@click.option("--pin-file", type=click.File("r"), help="File whose first line is the demo PIN.")
@click.option("--pin-stdin", is_flag=True, help="Read the demo PIN from standard input.")
@click.option("--algorithm", type=click.Choice(KEY_ALGORITHMS), help="Default: CARD_KEY_ALGORITHM.")
def card_issue(eid: str, pin_file, pin_stdin: bool, algorithm: str | None) -> None:
    """Issue a card: key pair on a new token, certificate, register entry."""
    from .issuer import load_issuer
    from .issuer.issuance import IssuanceError
    from .issuer.issuance import issue

    pin = _read_pin(pin_file, pin_stdin)
    app = _data_app()
    try:
        issuer_parts = load_issuer(app, create_ca=app.config["DEBUG"])
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    with app.app_context():
        try:
            issued = issue(issuer_parts, eid, pin, algorithm or app.config["KEY_ALGORITHM"])
        except IssuanceError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Issued card {issued.serial} to {eid} (token silta-card-{issued.serial}).")


@card.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def card_list(as_json: bool) -> None:
    """Print every issued card with its holder and status."""
    from .issuer.cards import list_cards

    with _data_app().app_context():
        rows = [
            {
                "serial": c.serial,
                "eid": h.eid,
                "name": f"{h.given_name} {h.family_name}",
                "status": c.status,
                "key_algorithm": c.key_algorithm,
                "issued_at": c.issued_at,
            }
            for c, h in list_cards()
        ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r['serial']}  {r['eid']}  {r['status']:<8} {r['key_algorithm']:<9} {r['name']}"
        )


@card.command("revoke")
@click.argument("serial")
@click.option("--lost", is_flag=True, help="Record the card as lost (reason keyCompromise).")
def card_revoke(serial: str, lost: bool) -> None:
    """Revoke a card at once; its certificate goes on the CRL and OCSP says revoked."""
    from .issuer.cards import UnknownCard
    from .issuer.cards import revoke
    from .issuer.models import LOST
    from .issuer.models import REVOKED

    with _data_app().app_context():
        try:
            changed = revoke(serial, LOST if lost else REVOKED)
        except UnknownCard:
            raise click.ClickException(f"No card has the serial {serial}.") from None
    click.echo(f"Card {serial} " + ("revoked." if changed else "was already revoked."))


@card.command("reset-authorise")
@click.argument("serial")
@click.option("--official", default="cli", show_default=True, help="Who authorises.")
def card_reset_authorise(serial: str, official: str) -> None:
    """Authorise a PIN reset of a card and print its one-time code."""
    from .issuer import reset_codes
    from .issuer.cards import load_card

    with (app := _data_app()).app_context():
        found = load_card(serial)
        if found is None:
            raise click.ClickException(f"No card has the serial {serial}.")
        try:
            code = reset_codes.authorise(found, official, app.config["RESET_CODE_HOURS"])
        except reset_codes.ResetRefused as refused:
            raise click.ClickException(str(refused)) from None
    click.echo(code)


@main.group()
def holders() -> None:
    """The holder register."""


@holders.command("seed")
@click.option(
    "--synthetic",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Also add the first N synthetic holders (eID 900000001 on), for load simulations.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the holders as JSON.")
def holders_seed(synthetic: int, as_json: bool) -> None:
    """Add the demo holders (and synthetic ones) to the register (idempotent)."""
    from .issuer.holders import DEMO_HOLDERS
    from .issuer.holders import SYNTHETIC_LIMIT
    from .issuer.holders import seed_demo_holders
    from .issuer.holders import seed_synthetic_holders
    from .issuer.holders import synthetic_holder

    if synthetic > SYNTHETIC_LIMIT:
        raise click.BadParameter(f"at most {SYNTHETIC_LIMIT}", param_hint="--synthetic")
    with _data_app().app_context():
        added = seed_demo_holders() + seed_synthetic_holders(synthetic)
    people = [(p, False) for p in DEMO_HOLDERS]
    people += [(synthetic_holder(i), True) for i in range(synthetic)]
    if as_json:
        rows = [
            {
                "eid": p.eid,
                "national_id": p.national_id,
                "name": f"{p.given_name} {p.family_name}",
                "synthetic": is_synthetic,
            }
            for p, is_synthetic in people
        ]
        click.echo(json.dumps({"added": added, "holders": rows}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{added} holders added.")
    for person in DEMO_HOLDERS:
        click.echo(
            f"  {person.eid}  {person.national_id}  {person.given_name} {person.family_name}"
        )
    if synthetic:
        last = synthetic_holder(synthetic - 1)
        click.echo(
            f"  and {synthetic} synthetic holders, eID {synthetic_holder(0).eid} to {last.eid}"
        )


@main.command("hash-key")
def hash_key() -> None:
    """Read a verifier's API key on stdin; print the api_key_sha256 for VERIFIERS_FILE."""
    from .issuer.verifiers import MIN_KEY_LENGTH
    from .issuer.verifiers import hash_api_key

    key = sys.stdin.readline().strip()
    if len(key) < MIN_KEY_LENGTH:
        raise click.ClickException(f"An API key has at least {MIN_KEY_LENGTH} characters.")
    click.echo(hash_api_key(key))


@main.command("hash-password")
def hash_password() -> None:
    """Read a desk password on stdin; print the password_hash for DESK_OFFICIALS_FILE."""
    from .issuer.passwords import hash_secret

    click.echo(hash_secret(sys.stdin.readline().rstrip("\n")))
