"""The report's charts, drawn with matplotlib off-screen: each returns PNG bytes and a text that
says what the chart shows, for readers who cannot see it (it goes beside the image)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display: draw to memory only

import matplotlib.dates as mdates
import matplotlib.pyplot as plt

from . import backtest
from . import outcome as o
from . import sensitivity
from .clock import date_of
from .uncertainty import Study

# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), then Tol's
# muted ones, so that every outcome category of a report has its own colour.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#888888",
    "#332288",
]
SHOWN_DAYS = 90


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return buffer.getvalue()


def _dates(axes) -> None:
    axes.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=6))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b %Y"))
    for label in axes.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")


def _pct(x: float) -> str:
    return f"{x * 100:.1f} %"


def outcomes(studies: list[Study]) -> tuple[bytes, str]:
    """Stacked median shares per scenario: completed online, then each reason for not."""
    categories = sorted(
        {r for s in studies for m in s.metrics for r in m.reasons},
        key=lambda r: -max(s.reason(r).median for s in studies),
    )
    figure, axes = plt.subplots(figsize=(8, 1.6 + 0.6 * len(studies)))
    left = [0.0] * len(studies)
    labels = [s.scenario.name for s in studies]
    for i, category in enumerate([o.COMPLETED, *categories]):
        shares = [
            s.estimate("online_share").median
            if category == o.COMPLETED
            else s.reason(category).median
            for s in studies
        ]
        name = "completed online" if category == o.COMPLETED else o.REASON_TEXT[category]
        axes.barh(labels, shares, left=left, color=PALETTE[i % len(PALETTE)], label=name)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_xlim(0, 1)
    axes.set_xlabel("share of those in need (median of the seeds)")
    axes.invert_yaxis()
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), fontsize="x-small", ncol=2)
    text = " ".join(
        f"{s.scenario.name}: {_pct(s.estimate('online_share').median)} completed online; "
        + ", ".join(
            f"{o.REASON_TEXT[r]} {_pct(s.reason(r).median)}"
            for r in categories[:3]
            if s.reason(r).median > 0
        )
        + "."
        for s in studies
    )
    return _png(figure), text


def _curve_chart(studies: list[Study], name: str, ylabel: str, real: list, share_of=None):
    figure, axes = plt.subplots(figsize=(8, 4))
    lines = []
    for i, s in enumerate(studies):
        days = range(min(SHOWN_DAYS, len(s.metrics[0].curves[name])))
        div = share_of(s) if share_of else 1.0
        dates = [date_of(s.scenario, d) for d in days]
        mid, low, high = (s.curve(name, q) for q in (0.5, 0.025, 0.975))
        colour = PALETTE[i % len(PALETTE)]
        axes.plot(dates, [mid[d] / div for d in days], color=colour, label=s.scenario.name)
        axes.fill_between(
            dates,
            [low[d] / div for d in days],
            [high[d] / div for d in days],
            color=colour,
            alpha=0.2,
            lw=0,
        )
        last = days[-1]
        lines.append(
            f"{s.scenario.name} reaches {_pct(mid[last] / div)} by "
            f"{date_of(s.scenario, last):%-d %B %Y}"
        )
    for fig, value in real:
        marker = "o" if fig.kind == backtest.TEST else "s"
        axes.plot(
            [fig.when],
            [value],
            marker,
            color="#000000",
            ms=6,
            mfc="none" if fig.kind == backtest.FITTED else "#000000",
        )
    axes.set_ylim(bottom=0)
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)
    _dates(axes)
    axes.legend(fontsize="small")
    return _png(figure), "; ".join(lines) + "."


def _households(study: Study) -> float:
    return study.scenario.population.residents * study.scenario.demand.share


def online(studies: list[Study]) -> tuple[bytes, str]:
    """Share of households that have applied online, by date, with the real counts as dots."""
    japan = next((s for s in studies if s.scenario.name == backtest.J2020), None)
    real = [
        (f, f.real / _households(japan))
        for f in backtest.FIGURES
        if japan and f.model and "Online applications" in f.what
    ]
    png, text = _curve_chart(
        [s for s in studies if s.scenario.payment],
        "online",
        "share of households applied online",
        real,
        _households,
    )
    extra = " Black dots: the reported counts for Japan (hollow: the one the model was fitted to)."
    return png, text + (extra if real else "")


def paid(studies: list[Study]) -> tuple[bytes, str]:
    """Share of households paid, by date, online and paper together."""
    real = [(f, f.real) for f in backtest.FIGURES if f.model and f.what == "Households paid"]
    if not any(s.scenario.name == backtest.J2020 for s in studies):
        real = []
    png, text = _curve_chart(
        [s for s in studies if s.scenario.payment], "paid", "share of households paid", real
    )
    return png, text + (
        " Black dots: the reported shares for Japan (hollow: fitted)." if real else ""
    )


def counters(studies: list[Study]) -> tuple[bytes, str]:
    """Counter visits a day against capacity, nationally, by date."""
    figure, axes = plt.subplots(figsize=(8, 4))
    lines = []
    for i, s in enumerate(studies):
        days = range(min(SHOWN_DAYS, len(s.metrics[0].curves["visits"])))
        dates = [date_of(s.scenario, d) for d in days]
        visits, capacity = s.curve("visits"), s.curve("capacity")
        colour = PALETTE[i % len(PALETTE)]
        axes.plot(
            dates, [visits[d] for d in days], color=colour, label=f"{s.scenario.name}: visits"
        )
        axes.plot(
            dates,
            [capacity[d] for d in days],
            color=colour,
            ls=":",
            lw=1,
            label=f"{s.scenario.name}: capacity",
        )
        busiest = max(days, key=visits.__getitem__)
        lines.append(
            f"{s.scenario.name}: busiest day {date_of(s.scenario, busiest):%-d %B %Y} "
            f"with {visits[busiest]:,.0f} visits against {capacity[busiest]:,.0f} "
            "slots"
        )
    axes.set_ylim(bottom=0)
    axes.set_ylabel("counter visits a day (national)")
    axes.grid(alpha=0.3)
    _dates(axes)
    axes.legend(fontsize="x-small")
    return _png(figure), "; ".join(lines) + ". Capacity is zero at weekends and on holidays."


def load(studies: list[Study]) -> tuple[bytes, str]:
    """Expected busiest-hour logins a second (median, 95 % interval) and the provisioned average,
    on a linear scale from zero."""
    figure, axes = plt.subplots(figsize=(8, 1.4 + 0.7 * len(studies)))
    lines = []
    for y, s in enumerate(studies):
        peak, _day = s.peak()
        axes.errorbar(
            [peak.median],
            [y],
            xerr=[[peak.median - peak.low], [peak.high - peak.median]],
            fmt="o",
            color=PALETTE[0],
            capsize=4,
            label="busiest hour" if y == 0 else None,
        )
        axes.plot(
            [s.provisioned_per_second()],
            [y],
            "|",
            ms=18,
            mew=3,
            color=PALETTE[3],
            label="provisioned average" if y == 0 else None,
        )
        lines.append(
            f"{s.scenario.name}: {peak.median:,.1f} logins a second "
            f"({peak.low:,.1f} to {peak.high:,.1f}) against "
            f"{s.provisioned_per_second():,.1f} provisioned"
        )
    axes.set_yticks(range(len(studies)), [s.scenario.name for s in studies])
    axes.set_xlim(left=0)
    axes.set_xlabel("logins a second")
    axes.invert_yaxis()
    axes.legend(fontsize="small")
    return _png(figure), "; ".join(lines) + "."


def tornado(study: Study, swings: list, base: dict[str, float]) -> tuple[bytes, str]:
    """For each headline, the assumptions that move it most, low and high end of their range."""
    names = list(sensitivity.HEADLINES)
    figure, panels = plt.subplots(len(names), 1, figsize=(8, 2.6 * len(names)))
    lines = []
    for axes, headline in zip(panels, names, strict=True):
        top = sensitivity.ranked(swings, base, headline, 6)
        for y, swing in enumerate(top):
            for value, colour in (
                (swing.at_low[headline], PALETTE[0]),
                (swing.at_high[headline], PALETTE[1]),
            ):
                axes.barh(y, value - base[headline], left=base[headline], color=colour, height=0.6)
        axes.axvline(base[headline], color="#000000", lw=1)
        axes.set_yticks(range(len(top)), [s.parameter for s in top], fontsize="x-small")
        axes.invert_yaxis()
        axes.set_title(sensitivity.HEADLINES[headline], fontsize="small")
        if top:
            first = top[0]
            lines.append(
                f"{sensitivity.HEADLINES[headline]} moves most with {first.parameter}: "
                f"{first.at_low[headline]:.3g} at {first.low:g}, "
                f"{first.at_high[headline]:.3g} at {first.high:g} "
                f"(base {base[headline]:.3g})"
            )
    figure.suptitle(f"{study.scenario.name}: blue low end, orange high end", fontsize="small")
    return _png(figure), "; ".join(lines) + "."
