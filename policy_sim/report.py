"""The comparison report: one self-contained HTML page and a CSV of every simulated citizen."""

from __future__ import annotations

import base64
import csv
from datetime import UTC
from datetime import datetime
from html import escape
from pathlib import Path

from . import charts
from . import outcome as o
from .projection import Projection
from .runner import ScenarioRun
from .scenario import is_assumption

CSV_COLUMNS = [
    "scenario", "citizen", "bank", "has_card", "device", "android_supported", "pin_recall",
    "patience_tries", "patience_days", "arrival_day", "status", "reason", "method",
    "completed_day", "days_to_service", "attempts", "wrong_pins", "lockouts", "counter_days",
    "application_id", "application_status", "detail",
]  # fmt: skip

CAVEATS = [
    "Citizens are synthetic. Their shares (bank customers, card holders, devices) come from the "
    "scenario files; behaviour such as remembering a PIN or patience is assumed, and marked so.",
    "Every login, wrong PIN, lockout, desk authorisation and application in the sample happened "
    "for real on the running demo federation; simulated time only decides on which day a step "
    "happens and how long a citizen waits for a counter or a card.",
    "The sample stands for the whole population by simple scaling. Small samples make rare "
    "outcomes noisy; the CSV lets you recount everything.",
    "Server CPU per login is measured on this machine's demo servers (SQLite, one process each), "
    "sequentially; background work such as health checks is included. Servers needed is peak "
    "logins per second times CPU per login, divided by cores per server, with no headroom.",
    "The policy is enforced by which methods the simulated citizen is allowed to choose; the "
    "broker itself offers every configured method.",
    "Paper and postal applications, help from relatives, and the mobile certificate are not "
    "modelled: 'turned away' means the citizen could not complete online.",
    "Counter capacity is national and shared by all; queues are first come, first served, with "
    "no regional imbalance, so real waits were likely longer where offices were overwhelmed.",
]

FIGURES = [
    (
        charts.outcomes,
        "Stacked bars: share completed and why the others did not, per scenario",
        "Who completed the application online, and why the others did not.",
    ),
    (
        charts.days_to_service,
        "Cumulative share served against days waited, per scenario",
        "Share of all residents in need served within a number of days.",
    ),
    (
        charts.counters,
        "Counter visits per day against capacity, per scenario",
        "Counter visits a day (PIN resets, desk authorisations, card hand-overs) and capacity.",
    ),
    (
        charts.load,
        "Peak logins per second against provisioned capacity, log scale",
        "Projected peak logins per second against the provisioned average (log scale).",
    ),
]

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5}
header,main,footer{max-width:70rem;margin:0 auto;padding:1rem 1.5rem}
header{border-bottom:3px solid #0b4f8a}h1{color:#0b4f8a;margin:.2rem 0}
table{border-collapse:collapse;margin:1rem 0;width:100%;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #8a8a8a;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#e8eef5}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.5rem 0}img{max-width:100%;height:auto}figcaption{font-size:.9rem}
.assumption{background:#fff4d6}a{color:#0b4f8a}
"""


def _png(data: bytes, alt: str, caption: str) -> str:
    encoded = base64.b64encode(data).decode()
    return (
        f'<figure><img src="data:image/png;base64,{encoded}" alt="{escape(alt)}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def _num(value: float | None, digits: int = 1, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{unit}"


def _table(caption: str, head: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    th = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption>"
        f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"
    )


def summary_table(projections: list[Projection]) -> str:
    head = [
        "Scenario", "Completed online", "Residents served", "Median days", "90th pct days",
        "Peak logins/s", "Provisioned logins/s", "Load vs provisioned", "Server CPU per login",
        "Servers needed", "Cost per completed application",
    ]  # fmt: skip
    rows = [
        [
            escape(p.scenario),
            _num(p.completed_share * 100, 1, " %"),
            _num(p.completed_residents / 1e6, 2, " M"),
            _num(p.days_p50),
            _num(p.days_p90),
            _num(p.peak_logins_per_second, 1),
            _num(p.provisioned_logins_per_second, 1),
            _num(p.load_share_of_provisioned * 100, 2, " %"),
            _num(p.cpu_per_login * 1000, 1, " ms"),
            str(p.servers_needed),
            _num(p.cost_per_completion, 0, f" {p.currency}") if p.cost_per_completion else "—",
        ]
        for p in projections
    ]
    return _table("Headline figures, projected to the nation", head, rows, set(range(1, 11)))


def scenario_section(run: ScenarioRun, p: Projection) -> str:
    s = run.scenario
    reasons = [
        [escape(o.REASON_TEXT.get(r, r)), str(n), _num(n / p.sample * 100, 1, " %")]
        for r, n in sorted(p.reason_counts.items(), key=lambda kv: -kv[1])
    ]
    methods = [
        [
            m.method,
            str(m.attempts),
            str(m.succeeded),
            _num(m.wall_mean * 1000, 0, " ms"),
            _num(m.wall_p95 * 1000, 0, " ms"),
            _num(m.cpu_mean * 1000, 1, " ms"),
            _num(m.requests_mean),
        ]
        for m in p.methods
    ]
    week = max(
        (sum(p.counter_visits.get(d, 0.0) for d in range(start, start + 7)) / 7
         for start in p.counter_visits),
        default=0.0,
    )  # fmt: skip
    params = [
        [
            f"<code>{escape(name)}</code>",
            escape(str(value)),
            ("<strong>Assumption.</strong> " if is_assumption(src) else "") + escape(src),
        ]
        for name, value, src in s.parameters()
    ]
    return f"""
<section aria-labelledby="s-{escape(s.name)}">
<h2 id="s-{escape(s.name)}">{escape(s.title)}</h2>
<p>{escape(s.summary)}</p>
<p>Sample: {p.sample} citizens, each standing for {_num(p.scale, 0)} residents
({_num(p.residents_in_need / 1e6, 2)} million residents need the service within
{s.demand.window_days} days). In the busiest seven days, counters served
{_num(week, 0)} visits a day on average, against a capacity of {_num(p.counter_capacity, 0)}
a day (a small sample books whole visits, so short windows can show more than the capacity).</p>
{
        _table(
            "Why citizens did not complete online",
            ["Reason", "Sampled citizens", "Share"],
            reasons,
            {1, 2},
        )
        if reasons
        else "<p>Every sampled citizen completed online.</p>"
    }
{
        _table(
            "Measured server work per login attempt",
            [
                "Method",
                "Attempts",
                "Succeeded",
                "Mean latency",
                "95th pct latency",
                "Server CPU",
                "HTTP requests",
            ],
            methods,
            {1, 2, 3, 4, 5, 6},
        )
    }
{_table("Scenario parameters and their sources", ["Parameter", "Value", "Source"], params, set())}
</section>"""


def html_report(runs: list[ScenarioRun], projections: list[Projection], csv_name: str) -> str:
    figures = [_png(draw(projections), alt, caption) for draw, alt, caption in FIGURES]
    run = runs[0]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    caveats = "".join(f"<li>{escape(c)}</li>" for c in CAVEATS)
    sections = "".join(scenario_section(r, p) for r, p in zip(runs, projections, strict=True))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Silta policy comparison</title><style>{STYLE}</style></head>
<body><header><h1>Identification policy comparison</h1>
<p>{escape(", ".join(r.scenario.title for r in runs))}. Generated {when}; seed {run.seed},
{run.sample} sampled citizens per scenario. Every citizen's outcome is in
<a href="{escape(csv_name)}">{escape(csv_name)}</a>.</p></header>
<main><h2>Headline</h2>{summary_table(projections)}{"".join(figures)}{sections}
<section aria-labelledby="caveats"><h2 id="caveats">How to read this, and its limits</h2>
<ul>{caveats}</ul></section></main>
<footer><p>Produced by <code>silta compare</code> (policy_sim).
Model and sources: docs/policy.md.</p></footer>
</body></html>"""


def csv_rows(runs: list[ScenarioRun]) -> list[dict]:
    rows = []
    for run in runs:
        for out in run.outcomes:
            c = out.citizen
            rows.append({
                "scenario": out.scenario, "citizen": c.index, "bank": c.bank or "",
                "has_card": int(c.has_card), "device": c.device,
                "android_supported": int(c.android_supported), "pin_recall": f"{c.pin_recall:.3f}",
                "patience_tries": c.patience_tries, "patience_days": f"{c.patience_days:.1f}",
                "arrival_day": c.arrival_day, "status": out.status, "reason": out.reason,
                "method": out.method,
                "completed_day": "" if out.completed_day is None else out.completed_day,
                "days_to_service": "" if out.days_to_service is None else out.days_to_service,
                "attempts": out.attempts, "wrong_pins": out.wrong_pins,
                "lockouts": " ".join(out.lockouts),
                "counter_days": " ".join(str(d) for d in out.counter_days),
                "application_id": out.application_id,
                "application_status": out.application_status, "detail": out.detail,
            })  # fmt: skip
    return rows


def write(runs: list[ScenarioRun], projections: list[Projection], out: Path) -> tuple[Path, Path]:
    """Write <out>/report.html and <out>/citizens.csv; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out / "citizens.csv", out / "report.html"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(csv_rows(runs))
    html_path.write_text(html_report(runs, projections, csv_path.name), encoding="utf-8")
    return html_path, csv_path
