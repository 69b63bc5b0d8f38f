"""One scenario, one seed: generate the sample and walk every citizen through a world, offline
(the parties' rules in memory) or live (the running federation, measured)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import field

from . import municipalities
from . import population
from .clock import Counters
from .journey import Journeys
from .offline import OfflineWorld
from .outcome import Measurement
from .outcome import Outcome
from .scenario import Scenario

HORIZON_FACTOR = 3  # the simulated period: three times the demand window


@dataclass
class ScenarioRun:
    scenario: Scenario
    sample: int
    seed: int
    outcomes: list[Outcome]
    logins: Counter  # (day, method) → sampled login attempts
    counters: Counters
    measurements: list[Measurement] = field(default_factory=list)  # live runs only
    confirmed_locks: list[str] = field(default_factory=list)  # locks seen on the bridge itself
    card_pins: dict[str, str] = field(default_factory=dict)  # serial → the PIN on the card now

    @property
    def horizon(self) -> int:
        return self.counters.horizon

    @property
    def scale(self) -> float:
        """Residents (or households) each sampled citizen stands for."""
        return in_need(self.scenario) / self.sample


def in_need(scenario: Scenario) -> float:
    """Residents who need the service in the window: the population the sample stands for."""
    return scenario.population.residents * scenario.demand.share


def horizon(scenario: Scenario) -> int:
    return scenario.demand.window_days * HORIZON_FACTOR


def counters_for(scenario: Scenario, sample: int) -> Counters:
    groups = municipalities.groups(scenario)
    return Counters(scenario, groups, in_need(scenario) / sample, horizon(scenario))


def run(scenario: Scenario, sample: int, seed: int, world=None, progress=None) -> ScenarioRun:
    """Send `sample` citizens of `scenario` through `world` (the offline model by default)."""
    citizens = population.generate(scenario, sample, seed)
    counters = counters_for(scenario, sample)
    journeys = Journeys(scenario, world or OfflineWorld(scenario), counters, seed)
    outcomes = journeys.run(citizens, progress)
    return ScenarioRun(scenario, sample, seed, outcomes, journeys.logins, counters)
