"""Costs a budget office would recognise, each from the scenario's sourced or assumed unit costs.

The question a treasury asks of an online channel is what each additional online application
costs against handling it on paper. So the whole cost of a policy (online and paper handling,
counter visits or desk authorisations, per-login fees, operation) is set against the cost of
the same applications all on paper; the difference per online application is the incremental
cost, and below zero the online channel saves money.
"""

from __future__ import annotations

from dataclasses import dataclass

from .metrics import DAYS_PER_MONTH
from .scenario import Scenario


@dataclass(frozen=True)
class CostBreakdown:
    currency: str
    online_handling: float
    paper_handling: float
    counters: float
    login_fees: float
    operation: float

    @property
    def total(self) -> float:
        return (
            self.online_handling
            + self.paper_handling
            + self.counters
            + self.login_fees
            + self.operation
        )


def breakdown(scenario: Scenario, scalars: dict[str, float], horizon: int) -> CostBreakdown | None:
    """The policy's costs over the simulated period, or None without a [costs] table."""
    c = scenario.costs
    if c is None:
        return None
    per_visit = (
        c.desk_authorisation
        if scenario.policy.unblock == "desk_authorisation"
        else (c.counter_visit)
    )
    fees = sum(scalars.get(f"logins_{m}", 0.0) * fee for m, fee in c.login_fee.items())
    return CostBreakdown(
        c.currency,
        scalars["online_applications"] * c.online_application,
        scalars["paper_applications"] * c.paper_application,
        scalars["counter_visits"] * per_visit,
        fees,
        c.operation_per_month * horizon / DAYS_PER_MONTH,
    )


def add_costs(scenario: Scenario, scalars: dict[str, float], horizon: int) -> None:
    """Add the cost figures to a run's scalars (nothing without a [costs] table)."""
    found = breakdown(scenario, scalars, horizon)
    if found is None or scenario.costs is None:
        return
    online, paper = scalars["online_applications"], scalars["paper_applications"]
    all_paper = (online + paper) * scenario.costs.paper_application
    scalars["cost_total"] = found.total
    scalars["cost_counters"] = found.counters
    scalars["cost_fees_and_operation"] = found.login_fees + found.operation
    scalars["cost_per_application"] = found.total / (online + paper) if online + paper else 0.0
    scalars["incremental_cost_per_online"] = (found.total - all_paper) / online if online else 0.0
