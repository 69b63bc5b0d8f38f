"""The live subset: the same journeys on the running federation, every step timed and measured.

The demo's card has one 4-digit PIN with three tries, so a scenario whose card secret differs
(japan-2020's signature password, five tries) runs live as its `live_variant`: the same
scenario with the demo card's secret. The offline model runs that variant too, so the two can be
compared citizen by citizen (check.py); a card login's server work does not depend on the
secret's length or its tries.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import population
from .. import runner
from ..journey import Journeys
from ..progress import Progress
from ..scenario import Scenario
from .accounts import AccountPool
from .card import Desk
from .card import ReaderCardLeg
from .service import BenefitsOffice
from .world import LiveWorld

LIVE_SECRET, LIVE_TRIES = "pin", 3  # the demo card (card_mock reader states)


def live_variant(scenario: Scenario) -> Scenario:
    """The scenario with the demo card's secret and tries, which the live bridge enforces."""
    changes: dict[str, object] = {}
    if (scenario.card.secret, scenario.card.tries) != (LIVE_SECRET, LIVE_TRIES):
        changes = {"card.secret": LIVE_SECRET, "card.tries": LIVE_TRIES}
    if scenario.population.patience_tries_max > LIVE_TRIES:
        changes["population.patience_tries_max"] = LIVE_TRIES
        changes["population.patience_tries_min"] = min(
            scenario.population.patience_tries_min, LIVE_TRIES
        )
    return scenario.replaced(changes) if changes else scenario


@dataclass(frozen=True)
class Federation:
    """Where the live system answers, and which server processes to measure; without a reader
    bridge and a desk, card logins are not run (and recorded as such)."""

    benefits_url: str
    servers: dict[str, int]
    reader_url: str | None = None
    desk: Desk | None = None

    def card_leg(self, pool: AccountPool) -> ReaderCardLeg | None:
        """A fresh card leg per scenario: each scenario's citizens get their own cards."""
        if self.reader_url is None or self.desk is None:
            return None
        return ReaderCardLeg(self.reader_url.rstrip("/"), self.desk, pool)


def run(
    scenario: Scenario,
    sample: int,
    seed: int,
    federation: Federation,
    pool: AccountPool,
    show_progress: bool = False,
) -> runner.ScenarioRun:
    """Send `sample` citizens of `scenario` through the live federation."""
    citizens = population.generate(scenario, sample, seed)
    counters = runner.counters_for(scenario, sample)
    card_leg = federation.card_leg(pool)
    world = LiveWorld(
        scenario, BenefitsOffice(federation.benefits_url), pool, federation.servers, card_leg
    )
    bar = Progress(scenario.name, sample, force=show_progress)
    journeys = Journeys(scenario, world, counters, seed)
    try:
        outcomes = journeys.run(citizens, bar.advance)
    finally:
        world.close()
        bar.close()
    found = runner.ScenarioRun(
        scenario, sample, seed, outcomes, journeys.logins, counters, world.measurements
    )
    if card_leg:
        found.confirmed_locks, found.card_pins = card_leg.confirmed_locks, card_leg.pins
    return found
