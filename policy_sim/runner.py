"""One scenario, end to end: generate the sample, walk every citizen through the live system."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from . import population
from .clock import CounterQueue
from .journey import Journeys
from .live.accounts import AccountPool
from .live.card import Desk
from .live.card import ReaderCardLeg
from .live.service import BenefitsOffice
from .live.world import LiveWorld
from .outcome import Measurement
from .outcome import Outcome
from .progress import Progress
from .scenario import Scenario

HORIZON_FACTOR = 3  # the simulated period: three times the demand window


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


@dataclass
class ScenarioRun:
    scenario: Scenario
    sample: int
    seed: int
    outcomes: list[Outcome]
    measurements: list[Measurement]
    counters: CounterQueue
    confirmed_locks: list[str] = field(default_factory=list)  # locks seen on the bridge itself
    card_pins: dict[str, str] = field(default_factory=dict)  # serial → the PIN on the card now

    @property
    def horizon(self) -> int:
        return self.counters.horizon


def in_need(scenario: Scenario) -> float:
    """Residents who need the service in the window: the population the sample stands for."""
    return scenario.population.residents * scenario.demand.share


def counter_rate(scenario: Scenario, sample: int) -> float:
    """National counter capacity a day, scaled down to the sample."""
    return scenario.capacity.counter_slots_per_day * sample / in_need(scenario)


def run(
    scenario: Scenario,
    sample: int,
    seed: int,
    federation: Federation,
    pool: AccountPool,
    show_progress: bool = False,
) -> ScenarioRun:
    """Send `sample` citizens of `scenario` through the live federation."""
    citizens = population.generate(scenario, sample, seed)
    horizon = scenario.demand.window_days * HORIZON_FACTOR
    counters = CounterQueue(counter_rate(scenario, sample), horizon)
    card_leg = federation.card_leg(pool)
    world = LiveWorld(
        scenario, BenefitsOffice(federation.benefits_url), pool, federation.servers, card_leg
    )
    bar = Progress(scenario.name, sample, force=show_progress)
    try:
        outcomes = Journeys(scenario, world, counters, seed).run(citizens, bar.advance)
    finally:
        world.close()
        bar.close()
    locks = card_leg.confirmed_locks if card_leg else []
    pins = card_leg.pins if card_leg else {}
    return ScenarioRun(scenario, sample, seed, outcomes, world.measurements, counters, locks, pins)
