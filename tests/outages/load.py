"""Citizens logging in again and again on threads; every attempt is kept with its times.

A login ends one of three ways: completed (the service holds a checked ID token), refused on a
readable page (its status, error code and explanation are kept), or a problem (an exception or
an unexpected answer) that no outage may ever cause.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from tests.outages.card_citizen import LOA3
from tests.outages.card_citizen import ReaderWindow
from tests.outages.card_citizen import card_page
from tests.outages.card_citizen import error_code
from tests.outages.card_citizen import explanation
from tests.outages.card_citizen import open_card_page
from tests.outages.card_citizen import post_token
from tests.support.citizen import Citizen
from tests.support.citizen import finish
from tests.support.citizen import redeem

LOA2 = "http://ftn.ficora.fi/2017/loa2"
PAUSE_AFTER_REFUSAL = 0.2  # a person reads the page before trying again


@dataclass
class Attempt:
    kind: str
    started: float
    ended: float = 0.0
    completed: bool = False
    status: int | None = None  # of the page a refused login ended on
    code: str | None = None
    explanation: str = ""
    problem: str = ""

    def within(self, start: float, end: float) -> bool:
        return start <= self.started and self.ended <= end

    def refused(self, codes: set[str]) -> bool:
        """Refused on the readable page with one of these codes, nothing else."""
        return not self.completed and not self.problem and self.status == 400 and self.code in codes


def _refused(attempt: Attempt, response: requests.Response) -> None:
    attempt.status, attempt.code = response.status_code, error_code(response)
    attempt.explanation = explanation(response)
    if response.status_code >= 500 or attempt.code is None:
        attempt.problem = f"HTTP {response.status_code}: {response.text[:300]}"


def _problem(attempt: Attempt, error: Exception) -> None:
    attempt.problem = f"{error.__class__.__name__}: {error}"[:400]


def bank_login(fed, rp, bank_id: str, account) -> Attempt:
    """A citizen logs in at a bank, consents; the service redeems the code."""
    attempt, citizen = Attempt("bank", time.monotonic()), Citizen(fed, rp)
    try:
        claims = redeem(citizen, citizen.log_in_with_bank(bank_id, account)["code"])
        assert claims["acr"] == LOA2, claims
        attempt.completed = True
    except Exception as error:
        _problem(attempt, error)
    finally:
        citizen.session.close()
        attempt.ended = time.monotonic()
    return attempt


def card_login(fed, rp, serial: str) -> Attempt:
    """A citizen logs in with a card through the bridge, consents; the service redeems."""
    attempt, citizen, window = Attempt("card", time.monotonic()), Citizen(fed, rp), ReaderWindow()
    try:
        citizen.authorize()
        response = open_card_page(citizen)
        if response.status_code == 200:
            page = card_page(response)
            response = post_token(citizen, page, window.sign(page.sign_url, serial))
        if response.status_code < 400:
            assert finish(citizen, response)["acr"] == LOA3
            attempt.completed = True
        else:
            _refused(attempt, response)
    except Exception as error:
        _problem(attempt, error)
    finally:
        citizen.session.close()
        window.close()
        attempt.ended = time.monotonic()
    return attempt


class Load:
    """Threads that each run one journey until stopped."""

    def __init__(self) -> None:
        self._attempts: list[Attempt] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def run(self, journey: Callable[..., Attempt], *args) -> None:
        def loop() -> None:
            while not self._stop.is_set():
                attempt = journey(*args)
                with self._lock:
                    self._attempts.append(attempt)
                if not attempt.completed:
                    self._stop.wait(PAUSE_AFTER_REFUSAL)

        thread = threading.Thread(target=loop, daemon=True)
        self._threads.append(thread)
        thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)
        assert not any(t.is_alive() for t in self._threads), "a citizen is stuck"

    def attempts(self, kind: str) -> list[Attempt]:
        with self._lock:
            return [a for a in self._attempts if a.kind == kind]

    def completed(self, kind: str, since: float = 0.0, until: float = float("inf")) -> int:
        """Logins of this kind that completed between `since` and `until` (by their end)."""
        return sum(a.completed and since <= a.ended <= until for a in self.attempts(kind))

    def wait_for(self, what: str, check: Callable[[], bool], timeout: float = 60.0) -> float:
        """Wait until `check()` holds; when it did (monotonic). Fails if it never does."""
        deadline = time.monotonic() + timeout
        while not check():
            problems = [a.problem for a in self.attempts("bank") + self.attempts("card")]
            assert time.monotonic() < deadline, f"{what}: not within {timeout} s; {problems[:3]}"
            time.sleep(0.1)
        return time.monotonic()
