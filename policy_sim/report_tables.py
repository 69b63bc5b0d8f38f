"""The report's tables: every cell labelled for phones (data-label), every figure with its
interval, every parameter with its kind and source."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from html import escape

from . import backtest
from . import outcome as o
from .clock import date_of
from .scenario import ASSUMPTION
from .scenario import FITTED
from .scenario import OVERRIDE
from .scenario import PREFIXES
from .scenario import kind
from .uncertainty import Estimate
from .uncertainty import Study

KIND_TEXT = {ASSUMPTION: "assumption", FITTED: "fitted", OVERRIDE: "override", "sourced": "sourced"}


def num(value: float | None, digits: int = 1, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}{unit}"


def interval(e: Estimate, scale: float = 1.0, digits: int = 1, unit: str = "") -> str:
    """Median with its 95 % interval over the seeds."""
    if e.n == 0 or math.isnan(e.median):
        return "—"
    mid = num(e.median * scale, digits, unit)
    if e.n == 1:
        return f"{mid} (one seed: no interval)"
    return f"{mid} ({num(e.low * scale, digits)}–{num(e.high * scale, digits)})"


def table(
    caption: str,
    head: list[str],
    rows: list[list[str]],
    numeric: Collection[int] = (),
    classes: list[str] | None = None,
) -> str:
    th = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = []
    for r, row in enumerate(rows):
        cells = "".join(
            f'<td data-label="{escape(head[i])}"{" class=num" if i in numeric else ""}>{c}</td>'
            for i, c in enumerate(row)
        )
        cls = f' class="{classes[r]}"' if classes and classes[r] else ""
        body.append(f"<tr{cls}>{cells}</tr>")
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{th}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def date_when(study: Study, curve: str, level: float) -> str:
    """The first date the median curve reaches `level`, or a dash."""
    mid = study.curve(curve)
    day = next((d for d, v in enumerate(mid) if v >= level), None)
    return "—" if day is None else f"{date_of(study.scenario, day):%-d %b %Y}"


def headline_table(studies: list[Study], servers: dict[str, str]) -> str:
    head = [
        "Scenario",
        "Completed online",
        "Online applications (M)",
        "Paid by the end",
        "Half paid by",
        "Busiest-hour logins/s",
        "Provisioned average logins/s",
        "Monthly load vs provisioned",
        "Counters' busiest week",
        "Waiting hours (M)",
        "Broker nodes needed",
    ]
    rows = []
    for s in studies:
        peak, day = s.peak()
        rows.append(
            [
                escape(s.scenario.name),
                interval(s.estimate("online_share"), 100, 1, " %"),
                interval(s.estimate("online_applications"), 1e-6, 2),
                interval(s.estimate("paid_share"), 100, 1, " %") if s.scenario.payment else "—",
                date_when(s, "paid", 0.5) if s.scenario.payment else "—",
                f"{interval(peak)} on {date_of(s.scenario, day):%-d %b %Y}",
                num(s.provisioned_per_second()),
                interval(s.estimate("load_share"), 100, 3, " %"),
                interval(s.estimate("peak_week_load"), 100, 0, " %"),
                interval(s.estimate("waiting_hours"), 1e-6, 2),
                servers.get(s.scenario.name, "not measured (offline run)"),
            ]
        )
    return table(
        "Headline figures, projected to the nation: median of the seeds (95 % interval)",
        head,
        rows,
        set(range(1, 11)),
    )


def backtest_table(found: list[backtest.Row]) -> str:
    head = [
        "Scenario",
        "What",
        "Date",
        "Real",
        "Model (95 % interval)",
        "Check",
        "In words",
        "Source",
    ]
    rows, classes = [], []
    for row in found:
        f = row.figure
        points = f.points or f.real < 0.01
        if row.model is None:
            model = "—"
        elif f.days:
            start = f.when - dt.timedelta(days=f.real)
            low, mid, high = (
                start + dt.timedelta(days=v)
                for v in (row.model.low, row.model.median, row.model.high)
            )
            model = f"{mid:%-d %b %Y} ({low:%-d %b}–{high:%-d %b})"
        elif points:
            model = interval(row.model, 100, 3 if f.real < 0.01 else 1, " %")
        else:
            model = interval(row.model, 1, 0)
        rows.append(
            [
                escape(f.scenario),
                escape(f.what),
                f"{f.when:%-d %b %Y}",
                escape(f.real_text),
                model,
                f"<strong>{escape(row.verdict)}</strong>",
                escape(row.words),
                escape(f.source),
            ]
        )
        classes.append({"misses": "miss", backtest.FITTED: "assumption"}.get(row.verdict, ""))
    return table("Back-test: the model beside what happened", head, rows, {4}, classes)


def groups_table(studies: list[Study]) -> str:
    kinds = list(studies[0].metrics[0].groups)
    head = ["Group", *[s.scenario.name for s in studies]]
    rows = []
    for k in kinds:
        names = sorted({n for s in studies for m in s.metrics for n in m.groups[k]})
        for n in names:
            rows.append(
                [
                    escape(f"{k}: {n.replace('_', ' ')}"),
                    *[interval(s.group(k, n), 100, 1, " %") for s in studies],
                ]
            )
    return table(
        "Completed online, by group (share of each group)", head, rows, set(range(1, len(head)))
    )


def costs_table(studies: list[Study]) -> str:
    head = [
        "Scenario",
        "Cost of processing a paper application",
        "Incremental cost per additional online application",
        "All costs per application",
        "Counters",
        "Fees and operation",
        "Total",
    ]
    rows = []
    for s in studies:
        c = s.scenario.costs
        if c is None:
            rows.append(
                [escape(s.scenario.name), "no [costs] in the scenario", "—", "—", "—", "—", "—"]
            )
            continue
        cur = f" {escape(c.currency)}"
        rows.append(
            [
                escape(s.scenario.name),
                num(c.paper_application, 0, cur),
                interval(s.estimate("incremental_cost_per_online"), 1, 0, cur),
                interval(s.estimate("cost_per_application"), 1, 0, cur),
                interval(s.estimate("cost_counters"), 1e-9, 2, " bn"),
                interval(s.estimate("cost_fees_and_operation"), 1e-9, 2, " bn"),
                interval(s.estimate("cost_total"), 1e-9, 2, " bn"),
            ]
        )
    return table(
        "Costs over the simulated period (unit costs are assumptions unless sourced)",
        head,
        rows,
        set(range(1, 7)),
    )


def reasons_table(study: Study) -> str:
    names = sorted(
        {r for m in study.metrics for r in m.reasons}, key=lambda r: -study.reason(r).median
    )
    rows = [
        [escape(o.REASON_TEXT.get(r, r)), interval(study.reason(r), 100, 1, " %")] for r in names
    ]
    return table(
        "Why the others did not complete online (share of those in need)",
        ["Reason", "Share"],
        rows,
        {1},
    )


def _value(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def parameters_table(study: Study) -> str:
    s = study.scenario
    rows, classes = [], []
    for name, value, source in s.parameters():
        k = kind(source)
        text = source.removeprefix(PREFIXES.get(k, "")).strip()
        spread = s.ranges.get(name)
        rows.append(
            [
                f"<code>{escape(name)}</code>",
                escape(_value(value)),
                f"<strong>{KIND_TEXT[k]}</strong>",
                "—" if spread is None else f"{spread[0]:g}–{spread[1]:g}",
                escape(text),
            ]
        )
        classes.append("assumption" if k != "sourced" else "")
    return table(
        "Scenario parameters, their kind and their sources",
        ["Parameter", "Value", "Kind", "Range", "Source"],
        rows,
        set(),
        classes,
    )
