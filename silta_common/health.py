"""The health of an upstream party (a bank, the card authority), known without waiting for it.

A method choice must not stall on a slow upstream: it reads the last answer and, when that
answer is older than the interval, asks again in the background. Before sending a citizen
there, a caller asks for a fresh answer (``reachable_now``), which costs a probe at most once
per interval.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    """The last thing the upstream said about itself."""

    healthy: bool = True
    checked_at: float = 0.0  # time.monotonic(); 0.0: never asked


class HealthWatch:
    """One upstream's health: the last answer, a probe, and a background refresh."""

    def __init__(self, check: Callable[[], bool], interval: float) -> None:
        self._check = check  # asks the upstream, with a short timeout; never raises
        self.interval = interval
        self._answer = Answer()
        self._checking = False
        self._lock = threading.Lock()

    def mark(self, healthy: bool) -> None:
        """Remember an answer learned on the way (a failed call marks the upstream down)."""
        self._answer = Answer(healthy=healthy, checked_at=time.monotonic())

    def probe(self) -> bool:
        """Ask the upstream now; remember and return the answer."""
        try:
            healthy = self._check()
        finally:
            self._checking = False
        self.mark(healthy)
        return healthy

    def reachable_now(self) -> bool:
        """A fresh answer: the last one if it is recent, else asked now."""
        answer = self._answer
        if time.monotonic() - answer.checked_at <= self.interval:
            return answer.healthy
        return self.probe()

    def healthy(self) -> bool:
        """The last answer, asked in the background when it is old (asked now the first time)."""
        answer = self._answer
        if answer.checked_at == 0.0:
            return self.probe()
        if time.monotonic() - answer.checked_at > self.interval and not self._checking:
            with self._lock:
                if not self._checking:
                    self._checking = True
                    threading.Thread(target=self.probe, daemon=True).start()
        return answer.healthy
