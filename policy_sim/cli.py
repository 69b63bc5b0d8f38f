"""`silta compare SCENARIO...`: run each scenario's sample through the live demo federation and
write the report. `idp/cli/__init__.py` delegates here, so the broker never imports this package at
start-up and this package never imports the broker."""

from __future__ import annotations

from pathlib import Path

import click
import requests

from . import journey
from . import prepare
from . import projection
from . import report
from . import runner
from . import scenario as scenarios
from .live import accounts
from .live import measure
from .live.browser import LiveError
from .live.card import Desk
from .live.demo import DemoError
from .live.demo import DemoFolder

DEMO_SERVERS = {
    "broker": "http://127.0.0.1:8400",
    "aurora": "http://127.0.0.1:8411",
    "kide": "http://127.0.0.1:8412",
    "revontuli": "http://127.0.0.1:8413",
    "issuer": "http://127.0.0.1:8420",
    "reader": "http://127.0.0.1:8421",
    "benefits": "http://127.0.0.1:8432",
}


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise click.BadParameter(f"expected NAME={what}, got {value!r}")
        pairs[name] = rest
    return pairs


def load_scenarios(names: tuple[str, ...]) -> list[scenarios.Scenario]:
    """Scenario files by path, or by the name of one shipped in policy_sim/scenarios/."""
    loaded = []
    for name in names:
        path = Path(name)
        if not path.exists() and scenarios.builtin(name).exists():
            path = scenarios.builtin(name)
        try:
            loaded.append(scenarios.load(path))
        except scenarios.ScenarioError as error:
            raise click.ClickException(str(error)) from None
    return loaded


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
        click.echo(f"{not_run} citizens needed a card login that could not run; they are "
                   "reported as 'not run' (see docs/policy.md).", err=True)  # fmt: skip
    bank = [m for run in runs for m in run.measurements if m.method == "bank" and m.step == "login"]
    if bank and not any(m.ok for m in bank):
        click.echo("Every bank login was refused: are the banks seeded with synthetic customers? "
                   "(silta-bank seed --bank ID --count N)", err=True)  # fmt: skip


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
            accounts.from_file(customers_file) if customers_file
            else {b: accounts.from_command(b, count) for b in scenarios.BANKS}
        )  # fmt: skip
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
        click.echo(f"No demo folder at {root} (--demo-root): nothing is prepared, so the banks "
                   "need synthetic customers and card logins need --cards.", err=True)  # fmt: skip
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


@click.command("compare")
@click.argument("scenario_names", metavar="SCENARIO...", nargs=-1, required=True)
@click.option("--seed", default=1, show_default=True, help="Seed of the synthetic population.")
@click.option("--sample", default=300, show_default=True, help="Citizens sent per scenario.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("policy-report"),
    show_default=True,
    help="Folder for the report.",
)
@click.option(
    "--port-offset",
    default=0,
    show_default=True,
    help="The demo's --port-offset: every default URL below moves by it.",
)
@click.option(
    "--demo-root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("instance") / "demo",
    show_default=True,
    help="The demo's folder (`silta demo --dir`): its banks are seeded and its card pool "
    "filled before the run. Not used with --broker or --benefits.",
)
@click.option("--broker", help="The broker (default: the demo's, port 8400).")
@click.option("--benefits", help="The Benefits Office (default: the demo's, port 8432).")
@click.option(
    "--server",
    "servers",
    multiple=True,
    metavar="NAME=URL",
    help="Also measure the process listening at URL (repeatable).",
)
@click.option(
    "--pid",
    "pids",
    multiple=True,
    metavar="NAME=PID",
    help="Measure this process (and its children) under NAME (repeatable).",
)
@click.option(
    "--bank-customers",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON {bank: [rows of `silta-bank customers --json`]}; default: ask silta-bank.",
)
@click.option(
    "--synthetic-count",
    type=int,
    help="Synthetic customers the banks were seeded with (default: sample × scenarios).",
)
@click.option(
    "--cards",
    "cards_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help='JSON list of {"serial", "pin", "person"}: demo cards with known PINs. With '
    "a desk official, card logins run live.",
)
@click.option("--reader", help="The card reader bridge (default: the demo's, port 8421).")
@click.option("--issuer", help="The card issuer, whose desk authorises unblocks (default 8420).")
@click.option("--desk-official", help="Desk official id at the issuer.")
@click.option(
    "--desk-password-file",
    type=click.File("r"),
    help="File (or - for stdin) holding the desk official's password.",
)
@click.option("--progress/--no-progress", default=True, show_default=True)
def compare(scenario_names, seed, sample, out, port_offset, demo_root, broker, benefits, servers,
            pids, bank_customers, synthetic_count, cards_file, reader, issuer, desk_official,
            desk_password_file, progress) -> None:  # fmt: skip
    """Compare identification policies on the live demo federation; write report.html and
    citizens.csv to --out."""
    if not 1 <= sample <= 100_000:
        raise click.BadParameter("between 1 and 100000", param_hint="--sample")
    loaded = load_scenarios(scenario_names)
    given = {"broker": broker, "benefits": benefits, "reader": reader, "issuer": issuer}
    urls = {name: demo_url(name, port_offset, given.get(name)) for name in DEMO_SERVERS}
    check_up(urls["broker"], "broker")
    check_up(urls["benefits"], "Benefits Office")
    measured = find_servers({**urls, **_pairs(servers, "URL")}, _pairs(pids, "PID"))
    click.echo(f"Measuring CPU of: {', '.join(sorted(measured)) or 'nothing'}", err=True)
    customers = synthetic_count or sample * len(loaded)
    demo = None if broker or benefits else find_demo(demo_root, urls["broker"])
    supplied = prepare.Given(bool(bank_customers), bool(cards_file), bool(desk_official))
    legs = prepare_demo(demo, urls, (loaded, sample, seed), customers, supplied)
    pool = bank_pool((bank_customers, cards_file), customers)
    pool.cards = pool.cards or legs.cards
    desk = desk_of(urls["issuer"], desk_official, desk_password_file) or legs.desk
    desk = desk if pool.cards else None
    if desk:
        check_up(urls["reader"], "reader bridge")
    elif demo is None or legs.card_need:
        click.echo("No --cards and desk credentials: card logins are recorded as not run "
                   "(see docs/policy.md).", err=True)  # fmt: skip
    federation = runner.Federation(urls["benefits"], measured, urls["reader"], desk)
    try:
        runs = [runner.run(s, sample, seed, federation, pool, progress) for s in loaded]
    except accounts.AccountsError as error:
        raise click.ClickException(str(error)) from None
    legs.check_in({serial: pin for run in runs for serial, pin in run.card_pins.items()})
    warn_about(runs)
    html_path, csv_path = report.write(runs, [projection.project(r) for r in runs], out)
    click.echo(f"Report: {html_path}\nCitizens: {csv_path}")
