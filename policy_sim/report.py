"""The comparison report: one self-contained HTML page and a CSV of every simulated citizen.

The page reads on a phone: tables become labelled cards below 40 rem, images scale, long
sources wrap. Each chart carries a text saying what it shows. The executive summary's numbers
come from the same runs as the tables and charts below it.
"""

from __future__ import annotations

import base64
import csv
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from html import escape
from pathlib import Path

from . import backtest
from . import charts
from . import report_tables as t
from . import sensitivity
from .clock import date_of
from .runner import ScenarioRun
from .uncertainty import Study

LIVE_CSV = "live-citizens.csv"  # the live subsets, citizen by citizen
CSV_COLUMNS = [
    "scenario",
    "seed",
    "citizen",
    "age_band",
    "bank",
    "has_card",
    "device",
    "phone_supported",
    "pin_recall",
    "patience_tries",
    "patience_days",
    "arrival_day",
    "group",
    "certificate_ok",
    "intends_online",
    "status",
    "reason",
    "method",
    "completed_day",
    "days_to_service",
    "attempts",
    "wrong_pins",
    "lockouts",
    "counter_days",
    "channel",
    "paid_day",
    "application_id",
    "application_status",
    "detail",
]

LIMITS = [
    "Citizens are synthetic. Their shares come from the scenario files; behaviour such as "
    "remembering a password, patience and the wish to apply online is assumed or fitted, and "
    "marked so in each parameter table.",
    "Intervals are the spread of runs over seeds (the simulation's sampling noise at this "
    "sample size). They leave out the uncertainty of the assumptions: the sensitivity charts "
    "show how far each assumption moves each headline across its plausible range.",
    "Parameters fitted to history agree with the figure they were fitted to by construction; "
    "only the rows marked 'test' in the back-test are evidence for the model.",
    "The Silta hybrid is a counterfactual: nothing in history tests it, and its headline "
    "follows mostly from the assumed share of households holding bank identification.",
    "Municipal counters are pooled by size class and by the days they opened online "
    "applications and mailed paper forms; suspensions of online applications (43 "
    "municipalities by 2 June 2020) and J-LIS back-end delays are not modelled.",
    "Server cost is measured only in a live run, on the demo's servers (one process each, "
    "SQLite), one login at a time, background work included.",
    "Help from relatives, the Finnish mobile certificate and regional differences within a "
    "municipality group are not modelled.",
]

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5;
overflow-wrap:anywhere}
header,main,footer{max-width:72rem;margin:0 auto;padding:1rem}
header{border-bottom:3px solid #0b4f8a}h1{color:#0b4f8a;margin:.2rem 0;font-size:1.6rem}
table{border-collapse:collapse;margin:1rem 0;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #8a8a8a;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#e8eef5}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.5rem 0}img{max-width:100%;height:auto}figcaption{font-size:.9rem}
tr.assumption td{background:#fff4d6}tr.miss td{background:#fde2e2}a{color:#0b4f8a}
.summary{border:2px solid #0b4f8a;padding:.5rem 1rem;border-radius:.4rem}
.label{display:inline-block;font-size:.75rem;font-weight:700;padding:0 .4rem;border-radius:.3rem;
background:#0b4f8a;color:#fff;text-transform:uppercase}.label.input{background:#8a5a00}
@media (max-width:40rem){table,thead,tbody,tr,th,td,caption{display:block;width:auto}
thead tr{position:absolute;left:-9999px}tr{border:1px solid #8a8a8a;margin:.6rem 0}
td{border:0;border-bottom:1px solid #ddd}td.num{text-align:left}
td::before{content:attr(data-label);display:block;font-weight:600;font-size:.8rem}}
"""


@dataclass
class Comparison:
    """Everything one `silta compare` run found, for the page."""

    studies: list[Study]
    first_runs: list[ScenarioRun]  # the first seed of each scenario, citizen by citizen
    history: dict[str, Study]  # the back-test's scenarios by name
    swings: dict[str, list[sensitivity.Swing]] = field(default_factory=dict)
    servers: dict[str, str] = field(default_factory=dict)  # scenario → broker nodes text
    live_html: str = ""  # the live section, when the run had one
    live_runs: list[ScenarioRun] = field(default_factory=list)  # the live subsets, if any
    mode: str = "offline"


def _figure(png: bytes, alt: str, caption: str, text: str, ident: str) -> str:
    data = base64.b64encode(png).decode()
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{escape(alt)}" '
        f'aria-describedby="{ident}"><figcaption><strong>{escape(caption)}</strong> '
        f'<span id="{ident}">{escape(text)}</span></figcaption></figure>'
    )


def _summary(c: Comparison) -> str:
    items = []
    online = "; ".join(
        f"{escape(s.scenario.name)} {t.interval(s.estimate('online_share'), 100, 1, ' %')} by "
        f"{date_of(s.scenario, len(s.metrics[0].curves['online']) - 1):%-d %B %Y}"
        for s in c.studies
    )
    items.append(("output", f"Share of those in need who completed online: {online}."))
    paying = [s for s in c.studies if s.scenario.payment]
    if paying:
        half = "; ".join(
            f"{escape(s.scenario.name)} by {t.date_when(s, 'paid', 0.5)}" for s in paying
        )
        items.append(
            (
                "output",
                "Half of all households paid, online and paper together: "
                f"{half}. The real date in 2020 was between 12 and 17 June.",
            )
        )
    last = c.studies[-1]
    swings = c.swings.get(last.scenario.name)
    if swings:
        base = sensitivity.headlines(last)
        top = sensitivity.ranked(swings, base, "online_share", 1)[0]
        value = last.scenario.value(top.parameter)
        items.append(
            (
                "input",
                f"The assumption that moves {escape(last.scenario.name)}'s "
                f"online share most is <code>{escape(top.parameter)}</code> = {value:g} "
                f"(plausible {top.low:g} to {top.high:g}): across that range the share "
                f"runs from {top.at_low['online_share'] * 100:.1f} % to "
                f"{top.at_high['online_share'] * 100:.1f} %.",
            )
        )
    lis = "".join(f'<li><span class="label {k}">{k}</span> {text}</li>' for k, text in items)
    seeds = c.studies[0].seeds
    return (
        f'<section class="summary" aria-labelledby="summary"><h2 id="summary">Executive '
        f"summary</h2><ul>{lis}</ul><p>Ranges are 95 % intervals over {len(seeds)} runs "
        f"(seeds {seeds[0]}–{seeds[-1]}) of {c.studies[0].sample:,} citizens each. "
        "Outputs are what the model computes; inputs are what it was told.</p></section>"
    )


def html_report(c: Comparison, csv_name: str) -> str:
    drawn = [
        (
            charts.outcomes(c.studies),
            "Stacked bars per scenario",
            "Who completed online, and why the others did not.",
        ),
        (charts.online(c.studies), "Lines by date", "Households that applied online, by date."),
        (charts.paid(c.studies), "Lines by date", "Households paid, online and paper together."),
        (charts.counters(c.studies), "Lines by date", "Counter visits a day and capacity."),
        (
            charts.load(c.studies),
            "Dots with intervals",
            "Expected busiest-hour logins a second against the provisioned average, from zero.",
        ),
    ]
    for s in c.studies:
        if c.swings.get(s.scenario.name):
            drawn.append(
                (
                    charts.tornado(s, c.swings[s.scenario.name], sensitivity.headlines(s)),
                    "Tornado bars",
                    f"Sensitivity of {s.scenario.name}'s headlines.",
                )
            )
    figures = "".join(
        _figure(png, alt, cap, text, f"chart-{i}")
        for i, ((png, text), alt, cap) in enumerate(drawn)
    )
    overrides = [
        [escape(s.scenario.name), f"<code>{escape(k)}</code>", escape(v)]
        for s in c.studies
        for k, v in s.scenario.overrides
    ]
    sections = "".join(
        f'<section aria-labelledby="s-{escape(s.scenario.name)}"><h2 id="s-'
        f'{escape(s.scenario.name)}">{escape(s.scenario.title)}</h2><p>'
        f"{escape(s.scenario.summary)}</p>{t.reasons_table(s)}{t.parameters_table(s)}</section>"
        for s in c.studies
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    limits = "".join(f"<li>{escape(x)}</li>" for x in LIMITS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Silta policy comparison</title><style>{STYLE}</style></head>
<body><header><h1>Identification policy comparison</h1>
<p>{escape(", ".join(s.scenario.title for s in c.studies))}. Generated {when}, {c.mode} run.
Every citizen of the first seed is in <a href="{escape(csv_name)}">{escape(csv_name)}</a>.</p>
</header><main>{_summary(c)}
<section aria-labelledby="backtest"><h2 id="backtest">Back-test against 2019–2020</h2>
<p>Only rows marked <strong>test</strong> are evidence: fitted rows agree by construction.</p>
{t.backtest_table(backtest.rows(c.history))}</section>
<section aria-labelledby="headline"><h2 id="headline">Headline figures</h2>
{t.headline_table(c.studies, c.servers)}{figures}</section>
<section aria-labelledby="groups"><h2 id="groups">Who is left out</h2>{t.groups_table(c.studies)}
</section><section aria-labelledby="costs"><h2 id="costs">Costs</h2>
<p>The incremental cost is the policy's whole cost less the cost of handling the same
applications on paper, per online application: below zero the online channel saves money.</p>
{t.costs_table(c.studies)}</section>
{
        t.table("What-if overrides given with --set", ["Scenario", "Parameter", "Value"], overrides)
        if overrides
        else ""
    }{c.live_html}{sections}
<section aria-labelledby="limits"><h2 id="limits">How to read this, and its limits</h2>
<ul>{limits}</ul></section></main>
<footer><p>Produced by <code>silta compare</code> (policy_sim). Model, back-test and sources:
docs/policy.md.</p></footer></body></html>"""


def csv_rows(runs: list[ScenarioRun]) -> list[dict]:
    rows = []
    for run in runs:
        for out in run.outcomes:
            c = out.citizen
            rows.append(
                {
                    "scenario": out.scenario,
                    "seed": run.seed,
                    "citizen": c.index,
                    "age_band": c.age_band,
                    "bank": c.bank or "",
                    "has_card": int(c.has_card),
                    "device": c.device,
                    "phone_supported": int(c.phone_supported),
                    "pin_recall": f"{c.pin_recall:.3f}",
                    "patience_tries": c.patience_tries,
                    "patience_days": f"{c.patience_days:.1f}",
                    "arrival_day": c.arrival_day,
                    "group": c.group,
                    "certificate_ok": int(c.certificate_ok),
                    "intends_online": int(c.intends_online),
                    "status": out.status,
                    "reason": out.reason,
                    "method": out.method,
                    "completed_day": "" if out.completed_day is None else out.completed_day,
                    "days_to_service": "" if out.days_to_service is None else out.days_to_service,
                    "attempts": out.attempts,
                    "wrong_pins": out.wrong_pins,
                    "lockouts": " ".join(out.lockouts),
                    "counter_days": " ".join(str(d) for d in out.counter_days),
                    "channel": out.channel,
                    "paid_day": "" if out.paid_day is None else out.paid_day,
                    "application_id": out.application_id,
                    "application_status": out.application_status,
                    "detail": out.detail,
                }
            )
    return rows


def _csv(path: Path, runs: list[ScenarioRun]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(csv_rows(runs))


def write(c: Comparison, out: Path) -> tuple[Path, Path]:
    """Write <out>/report.html and <out>/citizens.csv (and, after a live run,
    <out>/live-citizens.csv); return the first two paths."""
    out.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out / "citizens.csv", out / "report.html"
    _csv(csv_path, c.first_runs)
    if c.live_runs:
        _csv(out / LIVE_CSV, c.live_runs)
    html_path.write_text(html_report(c, csv_path.name), encoding="utf-8")
    return html_path, csv_path
