"""The report's charts, drawn with matplotlib off-screen and returned as PNG bytes."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display: draw to memory only

import matplotlib.pyplot as plt

from . import outcome as o
from .projection import Projection

# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), then Tol's
# muted ones, so that every outcome category of a report has its own colour.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
    "#882255", "#44AA99", "#999933", "#AA4499", "#888888", "#332288",
]  # fmt: skip


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()


def outcomes(projections: list[Projection]) -> bytes:
    """Stacked shares per scenario: completed, then each reason for not completing."""
    labels = [p.scenario for p in projections]
    categories = [o.COMPLETED, *sorted({r for p in projections for r in p.reason_counts})]
    figure, axes = plt.subplots(figsize=(11, 1.2 + 0.7 * len(projections)))
    left = [0.0] * len(projections)
    for i, category in enumerate(categories):
        shares = [
            (
                p.status_counts.get(o.COMPLETED, 0)
                if category == o.COMPLETED
                else p.reason_counts.get(category, 0)
            )
            / p.sample
            for p in projections
        ]
        name = "completed" if category == o.COMPLETED else o.REASON_TEXT.get(category, category)
        axes.barh(labels, shares, left=left, color=PALETTE[i % len(PALETTE)], label=name)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_xlim(0, 1)
    axes.set_xlabel("share of residents who need the service")
    axes.invert_yaxis()
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return _png(figure)


def days_to_service(projections: list[Projection]) -> bytes:
    """Cumulative share of all residents in need served by each day after they needed it."""
    figure, axes = plt.subplots(figsize=(9, 4))
    longest = max([7, *(d for p in projections for d in p.days_to_service)]) + 1
    for i, p in enumerate(projections):
        xs = sorted(set(p.days_to_service))
        ys = [sum(d <= x for d in p.days_to_service) / p.sample for x in xs]
        axes.step([0, *xs, longest], [0, *ys, ys[-1] if ys else 0], where="post",
                  color=PALETTE[i % len(PALETTE)], label=p.scenario)  # fmt: skip
    axes.set_xlim(0, longest)
    axes.set_ylim(0, 1)
    axes.set_xlabel("days from needing the service to completing the application")
    axes.set_ylabel("share of residents in need served")
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small")
    return _png(figure)


def counters(projections: list[Projection]) -> bytes:
    """Cumulative national counter visits against cumulative capacity, per scenario.

    Cumulative rather than daily: a small sample books whole visits on some days and none on
    others, so daily points would jump above and below the capacity line; running totals show
    the queue honestly (visits can never run ahead of capacity)."""
    figure, axes = plt.subplots(figsize=(9, 4))
    for i, p in enumerate(projections):
        colour = PALETTE[i % len(PALETTE)]
        last = max([*p.counter_visits, 0]) + 1
        days = list(range(last + 1))
        total, visits = 0.0, []
        for day in days:
            total += p.counter_visits.get(day, 0.0)
            visits.append(total)
        axes.step(days, visits, where="post", color=colour, label=f"{p.scenario}: visits")
        axes.plot(days, [p.counter_capacity * (d + 1) for d in days], color=colour, ls="--",
                  lw=1, label=f"{p.scenario}: capacity")  # fmt: skip
    axes.set_xlabel("simulated day")
    axes.set_ylabel("counter visits so far (national)")
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small")
    return _png(figure)


def load(projections: list[Projection]) -> bytes:
    """Peak logins per second against the provisioned average, per scenario (log scale)."""
    figure, axes = plt.subplots(figsize=(9, 1.2 + 0.8 * len(projections)))
    labels = [p.scenario for p in projections]
    peak = [max(p.peak_logins_per_second, 1e-3) for p in projections]
    provisioned = [p.provisioned_logins_per_second for p in projections]
    ys = range(len(projections))
    axes.barh(
        [y - 0.2 for y in ys], peak, height=0.4, color=PALETTE[0], label="peak logins/s (projected)"
    )
    axes.barh(
        [y + 0.2 for y in ys],
        provisioned,
        height=0.4,
        color=PALETTE[1],
        label="provisioned average logins/s",
    )
    for y, value in zip(ys, peak, strict=True):
        axes.annotate(f"{value:,.1f}", (value, y - 0.2), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize="small")  # fmt: skip
    for y, value in zip(ys, provisioned, strict=True):
        axes.annotate(f"{value:,.1f}", (value, y + 0.2), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize="small")  # fmt: skip
    axes.set_yticks(list(ys), labels)
    axes.set_xscale("log")
    axes.set_xlabel("logins per second (log scale)")
    axes.invert_yaxis()
    axes.legend(fontsize="small")
    return _png(figure)
