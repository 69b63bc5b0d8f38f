"""Synthetic citizens drawn from a scenario's distributions, reproducibly under a seed.

Each citizen's random draws come from their own generator seeded by (seed, index), taken in a
fixed order and only then mapped through the scenario. So citizen 17 under seed 1 is the same
person, with the same luck, in every scenario: comparisons differ by policy, not by sampling
noise (common random numbers). Under the 2020 payment a citizen is a household, represented by
its head, who applies for everyone in it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from . import municipalities
from .scenario import CARD_CAPABLE
from .scenario import Scenario

DRAWS = 16


@dataclass(frozen=True)
class Citizen:
    index: int
    age_band: str
    bank: str | None  # the bank whose online credentials the citizen holds, or None
    has_card: bool
    device: str
    phone_supported: bool  # for a phone: whether this model can read the card under the policy
    pin_recall: float  # probability of remembering the card's secret at a login
    patience_tries: int  # wrong tries before giving up (the card may lock first)
    patience_days: float  # days the citizen will wait for a counter visit or a card
    arrival_day: int  # the simulated day the citizen sets out to use the service
    group: int  # the municipality queue (municipalities.groups) the citizen belongs to
    certificate_ok: bool  # the card's certificate is valid (not expired, revoked or missing)
    intends_online: bool  # would apply online if able, rather than wait for the paper form
    paper_return_days: float  # days from receiving the paper form to mailing it back
    non_applicant: bool  # never applies at all
    online_lag_days: float  # days from an online application to the payment
    paper_lag_days: float  # days from a paper application to the payment

    def can_use_card_on_device(self, scenario: Scenario) -> bool:
        """Whether the policy lets this citizen's device reach a card at all."""
        if self.device not in CARD_CAPABLE or self.device not in scenario.policy.card_devices:
            return False
        return self.device == "card_reader_pc" or self.phone_supported


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


def _exponential(u: float, mean: float) -> float:
    return -math.log(1 - u) * mean


def citizen(scenario: Scenario, seed: int, index: int, groups=None) -> Citizen:
    """The index-th citizen of a scenario under a seed."""
    rng = random.Random(f"silta-policy-sim:{seed}:{index}")  # noqa: S311 - simulation, not secrets
    d = [rng.random() for _ in range(DRAWS)]
    pop, policy, card, pay = scenario.population, scenario.policy, scenario.card, scenario.payment
    age = _pick(d[8], pop.age_bands)
    device = _pick(d[3], pop.devices[age])
    groups = groups or municipalities.groups(scenario)
    return Citizen(
        index=index,
        age_band=age,
        bank=_pick(d[1], pop.banks) if d[0] < pop.bank_customer_share else None,
        has_card=d[2] < pop.card_holder_share,
        device=device,
        phone_supported=d[4] < policy.phone_supported.get(device, 0.0),
        pin_recall=_beta(rng, card.recall_mean, card.recall_concentration),
        patience_tries=pop.patience_tries_min
        + int(d[5] * (pop.patience_tries_max - pop.patience_tries_min + 1)),
        patience_days=_exponential(d[6], pop.patience_days_mean),
        arrival_day=_arrival(d[7], scenario.demand.window_days, scenario.demand.half_life_days),
        group=municipalities.group_of(d[9], groups),
        certificate_ok=d[10] >= card.certificate_unusable_share,
        intends_online=d[11] < pop.online_intent_share,
        paper_return_days=_exponential(d[12], pay.paper_return_days_mean) if pay else 0.0,
        non_applicant=pay is not None and d[13] < pay.non_applicant_share,
        online_lag_days=_exponential(d[14], pay.online_lag_days) if pay else 0.0,
        paper_lag_days=_exponential(d[15], pay.paper_lag_days) if pay else 0.0,
    )


def generate(scenario: Scenario, sample: int, seed: int) -> list[Citizen]:
    """A sample of citizens, in index order."""
    if sample < 1:
        raise ValueError("the sample needs at least one citizen")
    groups = municipalities.groups(scenario)
    return [citizen(scenario, seed, i, groups) for i in range(sample)]
