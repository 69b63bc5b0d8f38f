"""The broker's periodic work, registered at start-up by the packages that own it.

``silta sweep`` runs every job once (``database.sweep``); a serving node runs the jobs registered
``while_serving`` in a background loop (``serving.retry_logouts``). Operations thereby run the
protocol's housekeeping (settling key states, retrying owed logouts) without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

_EXTENSION = "silta.jobs"


@dataclass(frozen=True)
class Job:
    name: str  # what ``silta sweep`` reports its count as
    run: Callable[[], int]  # does the work; how many things it did
    while_serving: bool


def register(app: Flask, name: str, run: Callable[[], int], *, while_serving: bool = False) -> None:
    """Add a job to the app's sweep (and to its serving loop, ``while_serving``)."""
    app.extensions.setdefault(_EXTENSION, {})[name] = Job(name, run, while_serving)


def registered(app: Flask) -> list[Job]:
    """The app's jobs, in the order they were registered."""
    jobs: dict[str, Job] = app.extensions.get(_EXTENSION, {})
    return list(jobs.values())
