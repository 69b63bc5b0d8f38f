"""`silta compare SCENARIO...`: run each scenario offline over many seeds (and, with --live, a
subset through the live demo federation) and write the report. `idp/cli/__init__.py` delegates
here, so the broker never imports this package at start-up and this package never imports the
broker."""

from __future__ import annotations

from pathlib import Path

import click

from . import comparison
from . import overrides
from . import report
from . import report_tables
from . import scenario as scenarios
from .live import check
from .live import session


def load_scenarios(names: tuple[str, ...], sets: tuple[str, ...] = ()) -> list[scenarios.Scenario]:
    """Scenario files by path, or by the name of one shipped in policy_sim/scenarios/, with the
    `--set` overrides that concern each."""
    try:
        given = [overrides.read(text) for text in sets]
        loaded, used = [], set()
        for name in names:
            path = Path(name)
            if not path.exists() and scenarios.builtin(name).exists():
                path = scenarios.builtin(name)
            data = scenarios.read(path)
            used |= {i for i, o in enumerate(given) if overrides.applies(o, data)}
            loaded.append(overrides.apply(data, path.name, given))
    except scenarios.ScenarioError as error:
        raise click.ClickException(str(error)) from None
    unused = [sets[i] for i in range(len(given)) if i not in used]
    if unused:
        raise click.ClickException(f"--set {unused[0]!r} matches no scenario of this run")
    return loaded


def parse_seeds(text: str) -> list[int]:
    """`N` (seeds 1 to N) or `FIRST-LAST`."""
    first, dash, last = text.partition("-")
    try:
        low, high = (int(first), int(last)) if dash else (1, int(first))
    except ValueError:
        raise click.BadParameter("a count N or a range FIRST-LAST", param_hint="--seeds") from None
    if not 1 <= low <= high or high - low >= 1000:
        raise click.BadParameter("between 1 and 1000 seeds, from 1 up", param_hint="--seeds")
    return list(range(low, high + 1))


def live_options(f):
    """The options of the live subset (the federation, the demo, the legs)."""
    path = click.Path(file_okay=False, path_type=Path)
    for option in reversed(
        [
            click.option(
                "--live/--offline",
                default=False,
                show_default=True,
                help="Also send a subset through the live demo federation: server cost, "
                "and the check that live and offline outcomes agree.",
            ),
            click.option(
                "--live-sample",
                default=30,
                show_default=True,
                help="Citizens of the first seed sent live per scenario.",
            ),
            click.option(
                "--port-offset",
                default=0,
                show_default=True,
                help="The demo's --port-offset: every default URL moves by it.",
            ),
            click.option(
                "--demo-root",
                type=path,
                default=Path("instance") / "demo",
                show_default=True,
                help="The demo's folder (`silta demo --dir`): its banks "
                "are seeded and its card pool filled. Not used with --broker or --benefits.",
            ),
            click.option("--broker", help="The broker (default: the demo's, port 8400)."),
            click.option(
                "--benefits", help="The Benefits Office (default: the demo's, port 8432)."
            ),
            click.option(
                "--server",
                "servers",
                multiple=True,
                metavar="NAME=URL",
                help="Also measure the process listening at URL (repeatable).",
            ),
            click.option(
                "--pid",
                "pids",
                multiple=True,
                metavar="NAME=PID",
                help="Measure this process (and its children) under NAME (repeatable).",
            ),
            click.option(
                "--bank-customers",
                type=click.Path(dir_okay=False, path_type=Path),
                help="JSON {bank: [rows of `silta-bank customers --json`]}.",
            ),
            click.option(
                "--synthetic-count",
                type=int,
                help="Synthetic customers the banks were "
                "seeded with (default: live sample × scenarios).",
            ),
            click.option(
                "--cards",
                "cards_file",
                type=click.Path(dir_okay=False, path_type=Path),
                help='JSON list of {"serial", "pin", "person"}: demo cards with known PINs.',
            ),
            click.option(
                "--reader", help="The card reader bridge (default: the demo's, port 8421)."
            ),
            click.option("--issuer", help="The card issuer, whose desk authorises unblocks."),
            click.option("--desk-official", help="Desk official id at the issuer."),
            click.option(
                "--desk-password-file",
                type=click.File("r"),
                help="File (or - for stdin) holding the desk official's password.",
            ),
            click.option("--progress/--no-progress", default=True, show_default=True),
        ]
    ):
        f = option(f)
    return f


@click.command("compare")
@click.argument("scenario_names", metavar="SCENARIO...", nargs=-1, required=True)
@click.option(
    "--seeds",
    "seeds_text",
    default="20",
    show_default=True,
    help="Runs of the population: N (seeds 1 to N) or FIRST-LAST.",
)
@click.option("--sample", default=20_000, show_default=True, help="Citizens per run.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="[SCENARIO:]SECTION.PARAMETER=VALUE",
    help="What-if: override a parameter (a TOML value); shown in the report.",
)
@click.option(
    "--sensitivity/--no-sensitivity",
    default=True,
    show_default=True,
    help="Run every assumption at both ends of its range (tornado charts).",
)
@click.option("--sensitivity-sample", default=3_000, show_default=True)
@click.option("--sensitivity-seeds", default=3, show_default=True)
@click.option("--workers", default=0, help="Processes for the offline runs (default: all cores).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("policy-report"),
    show_default=True,
    help="Folder for the report.",
)
@live_options
def compare(
    scenario_names,
    seeds_text,
    sample,
    sets,
    sensitivity,
    sensitivity_sample,
    sensitivity_seeds,
    workers,
    out,
    live,
    live_sample,
    **options,
) -> None:
    """Compare identification policies: offline over many seeds, optionally with a live subset on
    the demo federation; write report.html and citizens.csv to --out."""
    if not 1 <= sample <= 1_000_000:
        raise click.BadParameter("between 1 and 1000000", param_hint="--sample")
    if not 1 <= live_sample <= 2_000:
        raise click.BadParameter("between 1 and 2000", param_hint="--live-sample")
    seeds = parse_seeds(seeds_text)
    loaded = load_scenarios(scenario_names, sets)
    pairs = session.live_subsets(loaded, live_sample, seeds[0], options) if live else []
    runs = (sensitivity_sample, min(sensitivity_seeds, len(seeds))) if sensitivity else None
    echo = (lambda text: click.echo(text, err=True)) if options["progress"] else (lambda _t: None)
    found = comparison.compare(loaded, sample, seeds, runs, echo, workers)
    if pairs:
        checks = session.checks(pairs, found.studies)
        found.live_html, found.mode = check.section(checks), "live and offline"
        found.live_runs = [live for live, _offline in pairs]
        found.servers = {
            c.study.scenario.name: report_tables.interval(c.servers(), 1, 0) for c in checks
        }
        differing = sum(bool(c.differences) for c in checks)
        if differing:
            click.echo(
                f"{differing} scenarios had citizens whose live and offline outcomes "
                "differ: see the report's live section.",
                err=True,
            )
    html_path, csv_path = report.write(found, out)
    click.echo(f"Report: {html_path}\nCitizens: {csv_path}")
