"""Named failure modes as data: what each does, and whether one customer can carry it."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import current_app

# ID token faults: each makes a token the broker must refuse (OIDC Core §3.1.3.7).
BAD_SIGNATURE = "bad_signature"
WRONG_NONCE = "wrong_nonce"
EXPIRED = "expired"
WRONG_AUDIENCE = "wrong_audience"


@dataclass(frozen=True)
class Scenario:
    """One failure mode: a description for people, and the flags the code acts on."""

    name: str
    description: str
    unavailable: bool = False  # every endpoint answers 503
    delay: bool = False  # every endpoint waits SLOW_SECONDS first
    authorize_error: bool = False  # /authorize shows a 500 error page
    deny_after_login: bool = False  # a successful login ends in error=access_denied
    id_token_fault: str | None = None

    @property
    def per_customer(self) -> bool:
        """Only what happens after login can belong to one customer: before it, none is known."""
        return self.deny_after_login or self.id_token_fault is not None


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "down",
            "Every endpoint, discovery, JWKS and /healthz included, answers 503.",
            unavailable=True,
        ),
        Scenario("slow", "Every endpoint waits SLOW_SECONDS before answering.", delay=True),
        Scenario(
            "error_page",
            "The authorization endpoint shows a 500 error page.",
            authorize_error=True,
        ),
        Scenario(
            "access_denied",
            "After the citizen logs in, the bank answers error=access_denied.",
            deny_after_login=True,
        ),
        Scenario(
            "bad_signature",
            "The ID token is signed with a key not in the bank's JWKS, under the same kid.",
            id_token_fault=BAD_SIGNATURE,
        ),
        Scenario(
            "wrong_nonce",
            "The ID token carries a nonce other than the request's.",
            id_token_fault=WRONG_NONCE,
        ),
        Scenario("expired_id_token", "The ID token's exp is in the past.", id_token_fault=EXPIRED),
        Scenario(
            "wrong_audience",
            "The ID token's aud names another client.",
            id_token_fault=WRONG_AUDIENCE,
        ),
    )
}


class ScenarioSwitch:
    """The bank-wide scenario of this process: set from SCENARIO, switchable in demo mode."""

    def __init__(self, name: str) -> None:
        self._lock = threading.Lock()
        self._name = name or None

    @property
    def current(self) -> Scenario | None:
        return SCENARIOS.get(self._name) if self._name else None

    def switch(self, name: str | None) -> None:
        if name and name not in SCENARIOS:
            raise KeyError(name)
        with self._lock:
            self._name = name or None


def bank_wide() -> Scenario | None:
    """The scenario acting on every request of this bank now, if any."""
    return current_app.extensions["bank.scenario"].current


def for_customer(customer_scenario: str | None) -> Scenario | None:
    """The scenario acting on one customer's login: their own, else the bank-wide one."""
    own = SCENARIOS.get(customer_scenario or "")
    return own if own is not None and own.per_customer else bank_wide()
