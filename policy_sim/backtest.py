"""The back-test: what really happened (history.py), beside what the model says for the same date.

Each row names its source and what kind of check it is: a test (the model was not tuned to
it), fitted (a parameter was chosen to match it, so agreement proves nothing), an input (the
figure is a parameter), or not modelled. Where a test misses, the report says so in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .clock import date_of
from .history import FIGURES
from .history import FINLAND
from .history import FITTED
from .history import INPUT
from .history import J2019
from .history import J2020
from .history import NOT_MODELLED
from .history import TEST
from .history import Figure
from .history import saturation_start
from .uncertainty import Estimate
from .uncertainty import Study

__all__ = [
    "FIGURES",
    "FINLAND",
    "FITTED",
    "INPUT",
    "J2019",
    "J2020",
    "NOT_MODELLED",
    "TEST",
    "Figure",
    "Row",
    "check",
    "rows",
    "saturation_week",
]


@dataclass(frozen=True)
class Row:
    figure: Figure
    model: Estimate | None
    verdict: str  # within, misses, fitted, input, not modelled, not run
    words: str


def saturation_week(study: Study) -> dt.date:
    """The start of the week in which the most residents' counters were full (median run)."""
    return date_of(study.scenario, saturation_start(study.curve("full")))


def check(figure: Figure, studies: dict[str, Study]) -> Row:
    study = studies.get(figure.scenario)
    if figure.kind == NOT_MODELLED:
        return Row(figure, None, NOT_MODELLED, f"Not modelled: {figure.note}.")
    if study is None or figure.model is None:
        return Row(figure, None, "not run", f"{figure.scenario} was not part of this run.")
    found = figure.model(study)
    gap = found.median - figure.real
    within = abs(gap) <= figure.tolerance * (1 if figure.points else figure.real)
    if figure.scenario == J2019 and figure.kind == FITTED:
        within = figure.real / 3 <= found.median <= figure.real * 3  # order of magnitude
    if figure.kind == INPUT:
        return Row(figure, found, INPUT, "An input of the model, not a test of it.")
    if figure.kind == FITTED:
        agree = "agrees" if within else "does not agree even though it was fitted"
        return Row(
            figure,
            found,
            FITTED,
            f"Fitted ({figure.note}): the model {agree}; this "
            "is not evidence that the model is right.",
        )
    tolerance = (
        f"±{figure.tolerance:g} days"
        if figure.days
        else f"±{figure.tolerance * 100:.1f} points"
        if figure.points
        else f"±{figure.tolerance * 100:.0f} %"
    )
    if within:
        return Row(figure, found, "within", f"Within {tolerance} of the real figure.")
    direction = "above" if gap > 0 else "below"
    why = f" Why: {figure.why}." if figure.why else " The reason is not known."
    return Row(
        figure,
        found,
        "misses",
        f"The model misses: {direction} the real figure by more than {tolerance}.{why}",
    )


def rows(studies: dict[str, Study]) -> list[Row]:
    return [check(figure, studies) for figure in FIGURES]
