"""Synthetic citizens drawn from a scenario's distributions, reproducibly under a seed.

Each citizen's random draws come from their own generator seeded by (seed, index), taken in a
fixed order and only then mapped through the scenario. So citizen 17 under seed 1 is the same
person, with the same luck, in every scenario: comparisons differ by policy, not by sampling
noise (common random numbers).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .scenario import CARD_CAPABLE
from .scenario import Scenario


@dataclass(frozen=True)
class Citizen:
    index: int
    bank: str | None  # the bank whose online credentials the citizen holds, or None
    has_card: bool
    device: str
    android_supported: bool  # for android_nfc: whether this phone model is on the policy's list
    pin_recall: float  # probability of remembering the card PIN at a login
    patience_tries: int  # wrong PIN tries before giving up (the card may lock first)
    patience_days: float  # days the citizen will wait for a counter visit or a card
    arrival_day: int  # the simulated day the citizen needs the service

    def can_use_card_on_device(self, scenario: Scenario) -> bool:
        """Whether the policy lets this citizen's device reach a card at all."""
        policy = scenario.policy
        if self.device not in CARD_CAPABLE or self.device not in policy.card_devices:
            return False
        return self.device != "android_nfc" or self.android_supported


def _pick(u: float, shares: dict[str, float]) -> str:
    """The option whose cumulative share first exceeds u (inverse-CDF sampling)."""
    total = 0.0
    for name, part in shares.items():
        total += part
        if u < total:
            return name
    return next(name for name, part in reversed(shares.items()) if part > 0)


def _arrival(u: float, window: int, half_life: float) -> int:
    """Day of need: uniform over the window, or front-loaded (exponential, truncated)."""
    if half_life <= 0:
        return min(window - 1, int(u * window))
    rate = math.log(2) / half_life
    # Inverse CDF of the exponential truncated to [0, window).
    day = -math.log(1 - u * (1 - math.exp(-rate * window))) / rate
    return min(window - 1, int(day))


def _beta(rng: random.Random, mean: float, concentration: float) -> float:
    if mean <= 0 or mean >= 1:
        return mean
    return rng.betavariate(mean * concentration, (1 - mean) * concentration)


def citizen(scenario: Scenario, seed: int, index: int) -> Citizen:
    """The index-th citizen of a scenario under a seed."""
    rng = random.Random(f"silta-policy-sim:{seed}:{index}")  # noqa: S311 - simulation, not secrets
    draws = [rng.random() for _ in range(8)]
    pop, policy, demand = scenario.population, scenario.policy, scenario.demand
    has_bank = draws[0] < pop.bank_customer_share
    return Citizen(
        index=index,
        bank=_pick(draws[1], pop.banks) if has_bank else None,
        has_card=draws[2] < pop.card_holder_share,
        device=_pick(draws[3], pop.devices),
        android_supported=draws[4] < policy.android_supported_share,
        pin_recall=_beta(rng, pop.pin_recall_mean, pop.pin_recall_concentration),
        patience_tries=pop.patience_tries_min
        + int(draws[5] * (pop.patience_tries_max - pop.patience_tries_min + 1)),
        patience_days=-math.log(1 - draws[6]) * pop.patience_days_mean,
        arrival_day=_arrival(draws[7], demand.window_days, demand.half_life_days),
    )


def generate(scenario: Scenario, sample: int, seed: int) -> list[Citizen]:
    """A sample of citizens, in index order."""
    if sample < 1:
        raise ValueError("the sample needs at least one citizen")
    return [citizen(scenario, seed, i) for i in range(sample)]
