"""The live part of `silta compare`: find and check the federation, prepare the demo's banks,
cards and desk, and run each scenario's live subset beside the offline model of it."""

from __future__ import annotations

from pathlib import Path

import click
import requests

from .. import journey
from .. import prepare
from .. import runner
from .. import scenario as scenarios
from ..uncertainty import Study
from . import accounts
from . import check
from . import measure
from . import run as live_run
from .browser import LiveError
from .card import Desk
from .demo import DemoError
from .demo import DemoFolder

DEMO_SERVERS = {
    "broker": "http://127.0.0.1:8400",
    "aurora": "http://127.0.0.1:8411",
    "kide": "http://127.0.0.1:8412",
    "revontuli": "http://127.0.0.1:8413",
    "issuer": "http://127.0.0.1:8420",
    "reader": "http://127.0.0.1:8421",
    "benefits": "http://127.0.0.1:8432",
}


def find_servers(urls: dict[str, str], pids: dict[str, str]) -> dict[str, int]:
    """The processes to measure: given pids, else whoever listens on each URL's port."""
    found = {name: int(pid) for name, pid in pids.items()}
    for name, url in urls.items():
        if name not in found and (pid := measure.pid_listening(url)) is not None:
            found[name] = pid
    return found


def check_up(url: str, name: str) -> None:
    try:
        response = requests.get(url.rstrip("/") + "/healthz", timeout=5)
    except requests.RequestException:
        response = None
    if response is None or response.status_code != 200:
        raise click.ClickException(
            f"the {name} at {url} does not answer /healthz; start the demo first (`make demo`)"
        )


def warn_about(runs: list[runner.ScenarioRun]) -> None:
    """Say plainly when the demo lacked what a leg needed, since the report counts it."""
    outcomes = [out for run in runs for out in run.outcomes]
    not_run = sum(out.status == journey.NOT_RUN for out in outcomes)
    if not_run:
        click.echo(
            f"{not_run} citizens needed a card login that could not run; they are "
            "reported as 'not run' (see docs/policy.md).",
            err=True,
        )
    bank = [m for run in runs for m in run.measurements if m.method == "bank" and m.step == "login"]
    if bank and not any(m.ok for m in bank):
        click.echo(
            "Every bank login was refused: are the banks seeded with synthetic customers? "
            "(silta-bank seed --bank ID --count N)",
            err=True,
        )


def demo_url(name: str, offset: int, given: str | None) -> str:
    """An explicit URL, or the demo's, shifted like `silta demo --port-offset`."""
    if given:
        return given.rstrip("/")
    scheme_host, port = DEMO_SERVERS[name].rsplit(":", 1)
    return f"{scheme_host}:{int(port) + offset}"


def bank_pool(files: tuple[Path | None, Path | None], count: int) -> accounts.AccountPool:
    """Bank customers (a file, or each bank's own command line) and the demo cards."""
    customers_file, cards_file = files
    try:
        bank_accounts = (
            accounts.from_file(customers_file)
            if customers_file
            else {b: accounts.from_command(b, count) for b in scenarios.BANKS}
        )
        cards = accounts.cards_from_file(cards_file) if cards_file else []
    except accounts.AccountsError as error:
        raise click.ClickException(str(error)) from None
    return accounts.AccountPool(bank_accounts, cards)


def find_demo(root: Path, broker_url: str) -> DemoFolder | None:
    """The running demo in `root` that answers at the broker's address, if `root` holds one."""
    try:
        demo = DemoFolder.find(root, broker_url)
    except DemoError as error:
        raise click.ClickException(str(error)) from None
    if demo is None:
        click.echo(
            f"No demo folder at {root} (--demo-root): nothing is prepared, so the banks "
            "need synthetic customers and card logins need --cards.",
            err=True,
        )
    return demo


def prepare_demo(demo: DemoFolder | None, urls, run, customers, given) -> prepare.Legs:
    """Get the demo ready for the run (nothing without a demo); a readable error if it fails."""
    if demo is None:
        return prepare.Legs()
    try:
        return prepare.prepare(demo, urls, run, customers, given, lambda s: click.echo(s, err=True))
    except (DemoError, LiveError, accounts.AccountsError) as error:
        raise click.ClickException(f"preparing the demo failed: {error}") from None


def desk_of(issuer: str, official: str | None, password_file) -> Desk | None:
    if not (official and password_file):
        return None
    return Desk(issuer, official, password_file.read().strip())


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise click.BadParameter(f"expected NAME={what}, got {value!r}")
        pairs[name] = rest
    return pairs


def live_subsets(
    loaded: list[scenarios.Scenario],
    sample: int,
    seed: int,
    o: dict,
) -> list[tuple[runner.ScenarioRun, runner.ScenarioRun]]:
    """Each scenario's live subset (its live variant) and the offline model of the same
    citizens, as (live run, offline run); `o` holds the command's live options."""
    given = {
        "broker": o["broker"],
        "benefits": o["benefits"],
        "reader": o["reader"],
        "issuer": o["issuer"],
    }
    urls = {name: demo_url(name, o["port_offset"], given.get(name)) for name in DEMO_SERVERS}
    check_up(urls["broker"], "broker")
    check_up(urls["benefits"], "Benefits Office")
    measured = find_servers({**urls, **_pairs(o["servers"], "URL")}, _pairs(o["pids"], "PID"))
    click.echo(f"Measuring CPU of: {', '.join(sorted(measured)) or 'nothing'}", err=True)
    variants = [live_run.live_variant(s) for s in loaded]
    customers = o["synthetic_count"] or sample * len(loaded)
    demo = None if o["broker"] or o["benefits"] else find_demo(o["demo_root"], urls["broker"])
    supplied = prepare.Given(
        bool(o["bank_customers"]), bool(o["cards_file"]), bool(o["desk_official"])
    )
    legs = prepare_demo(demo, urls, (variants, sample, seed), customers, supplied)
    pool = bank_pool((o["bank_customers"], o["cards_file"]), customers)
    pool.cards = pool.cards or legs.cards
    desk = desk_of(urls["issuer"], o["desk_official"], o["desk_password_file"]) or legs.desk
    desk = desk if pool.cards else None
    if desk:
        check_up(urls["reader"], "reader bridge")
    elif demo is None or legs.card_need:
        click.echo(
            "No --cards and desk credentials: card logins are recorded as not run "
            "(see docs/policy.md).",
            err=True,
        )
    federation = live_run.Federation(urls["benefits"], measured, urls["reader"], desk)
    try:
        runs = [live_run.run(v, sample, seed, federation, pool, o["progress"]) for v in variants]
    except accounts.AccountsError as error:
        raise click.ClickException(str(error)) from None
    legs.check_in({serial: pin for run in runs for serial, pin in run.card_pins.items()})
    warn_about(runs)
    return [(r, runner.run(v, sample, seed)) for r, v in zip(runs, variants, strict=True)]


def checks(pairs, studies: list[Study]) -> list[check.LiveCheck]:
    return [
        check.LiveCheck(s, live, offline) for (live, offline), s in zip(pairs, studies, strict=True)
    ]
