"""Test doubles and readers shared by the policy simulator's tests."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

from policy_sim import journey
from policy_sim import population
from policy_sim.journey import Attempt

PIN = "1234"


def citizen(**changes) -> population.Citizen:
    """A citizen who can do everything, changed where a test says."""
    base = population.Citizen(
        index=0, age_band="40_to_64", bank="aurora", has_card=True, device="card_reader_pc",
        phone_supported=True, pin_recall=1.0, patience_tries=3, patience_days=30.0,
        arrival_day=0, group=0, certificate_ok=True, intends_online=True,
        paper_return_days=2.0, non_applicant=False, online_lag_days=5.0, paper_lag_days=9.0,
    )  # fmt: skip
    return dataclasses.replace(base, **changes)


class ScriptedWorld:
    """Cards with three tries that lock at zero; banks that let every customer in."""

    def __init__(self, card_available: bool = True) -> None:
        self.card_available = card_available
        self.tries: dict[int, int] = {}
        self.locked: set[int] = set()
        self.calls: list[tuple[str, int, int]] = []

    def attempt(self, person, method, day, typo):
        index = person.citizen.index
        self.calls.append((method, index, day))
        if method == "bank":
            return Attempt(
                journey.COMPLETED, application_id=f"A{index}", application_status="received"
            )
        assert index not in self.locked, "a locked card was used"
        wrong = 0
        for pin in journey.secret_entries(person, PIN):
            if pin == PIN:
                self.tries[index] = 3
                return Attempt(journey.COMPLETED, wrong, application_id=f"A{index}")
            wrong += 1
            self.tries[index] = self.tries.get(index, 3) - 1
            if self.tries[index] == 0:
                self.locked.add(index)
                return Attempt(journey.LOCKED, wrong, locked_serial=f"card-{index}")
        return Attempt(journey.GAVE_UP, wrong)

    def unblock(self, person, day, pin):
        self.calls.append(("unblock", person.citizen.index, day))
        self.locked.discard(person.citizen.index)
        self.tries[person.citizen.index] = 3
        return Attempt(journey.COMPLETED)

    def renew(self, person, day, pin):
        self.calls.append(("renew", person.citizen.index, day))
        return Attempt(journey.COMPLETED)

    def issue_card(self, person, day, pin):
        self.calls.append(("issue", person.citizen.index, day))
        return Attempt(journey.COMPLETED)


def by_scenario(rows: list[dict]) -> dict[str, list[dict]]:
    """CSV rows grouped by scenario name."""
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["scenario"], []).append(row)
    return grouped


class Tables(HTMLParser):
    """The report's tables as lists of rows of cell texts, and its images."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.images: list[dict[str, str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
