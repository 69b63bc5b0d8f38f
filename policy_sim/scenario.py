"""Scenario files: a TOML policy with every parameter sourced, validated into dataclasses."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import fields
from pathlib import Path
from typing import Any

DEVICES = ("card_reader_pc", "pc", "android_nfc", "iphone", "none")  # "pc": no card reader
METHODS = ("bank", "card")
CARD_CAPABLE = ("card_reader_pc", "android_nfc", "iphone")  # devices that can reach a card
BANKS = ("aurora", "kide", "revontuli")  # the demo federation's banks (bank_mock/banks.py)
UNBLOCK = ("counter_reset", "desk_authorisation")
ASSUMPTION = "Assumption"  # a source text starting with this word is a modelling assumption


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with the file and the parameter in the message."""


@dataclass(frozen=True)
class Population:
    residents: int
    bank_customer_share: float
    banks: dict[str, float]
    card_holder_share: float
    devices: dict[str, float]
    pin_recall_mean: float
    pin_recall_concentration: float
    patience_tries_min: int
    patience_tries_max: int
    patience_days_mean: float
    code_typo_share: float


@dataclass(frozen=True)
class Policy:
    methods: tuple[str, ...]
    card_devices: tuple[str, ...]
    android_supported_share: float
    unblock: str
    card_application_share: float


@dataclass(frozen=True)
class Capacity:
    counter_slots_per_day: float
    issuance_days: int
    provisioned_logins_per_month: float
    cores_per_server: int


@dataclass(frozen=True)
class Demand:
    share: float
    window_days: int
    half_life_days: float
    peak_hour_share: float


@dataclass(frozen=True)
class Budget:
    amount: float
    currency: str
    covers: str


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    summary: str
    population: Population
    policy: Policy
    capacity: Capacity
    demand: Demand
    budget: Budget | None
    sources: dict[str, str]

    def parameters(self) -> list[tuple[str, Any, str]]:
        """Every parameter as (dotted name, value, source), in file order."""
        rows = []
        for section in ("population", "policy", "capacity", "demand", "budget"):
            part = getattr(self, section)
            if part is None:
                continue
            for f in fields(part):
                name = f"{section}.{f.name}"
                rows.append((name, getattr(part, f.name), self.sources[name]))
        return rows


Check = Callable[[str, Any], Any]


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScenarioError(f"{name}: must be a number, got {value!r}")
    return float(value)


def share(name: str, value: Any) -> float:
    number = _number(name, value)
    if not 0 <= number <= 1:
        raise ScenarioError(f"{name}: must be a share between 0 and 1, got {value!r}")
    return number


def positive(name: str, value: Any) -> float:
    number = _number(name, value)
    if number <= 0:
        raise ScenarioError(f"{name}: must be greater than 0, got {value!r}")
    return number


def non_negative(name: str, value: Any) -> float:
    number = _number(name, value)
    if number < 0:
        raise ScenarioError(f"{name}: must not be negative, got {value!r}")
    return number


def count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ScenarioError(f"{name}: must be a whole number of at least 0, got {value!r}")
    return value


def positive_count(name: str, value: Any) -> int:
    if count(name, value) < 1:
        raise ScenarioError(f"{name}: must be at least 1, got {value!r}")
    return value


def text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{name}: must be a non-empty string, got {value!r}")
    return value.strip()


def distribution(keys: tuple[str, ...]) -> Check:
    """Shares over named options that add up to 1; every option must be present."""

    def check(name: str, value: Any) -> dict[str, float]:
        if not isinstance(value, dict):
            raise ScenarioError(f"{name}: must be a table of shares for {', '.join(keys)}")
        if set(value) != set(keys):
            raise ScenarioError(
                f"{name}: needs exactly the keys {', '.join(keys)}, got {sorted(value)}"
            )
        shares = {k: share(f"{name}.{k}", value[k]) for k in keys}
        if not math.isclose(sum(shares.values()), 1.0, abs_tol=1e-6):
            raise ScenarioError(
                f"{name}: shares must add up to 1, they add up to {sum(shares.values()):g}"
            )
        return shares

    return check


def subset(options: tuple[str, ...], allow_empty: bool = False) -> Check:
    def check(name: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ScenarioError(f"{name}: must be a list of names from {', '.join(options)}")
        unknown = [v for v in value if v not in options]
        if unknown:
            raise ScenarioError(f"{name}: unknown {unknown}; choose from {', '.join(options)}")
        if len(set(value)) != len(value) or (not value and not allow_empty):
            raise ScenarioError(f"{name}: must name each option at most once, and at least one")
        return tuple(value)

    return check


def choice(options: tuple[str, ...]) -> Check:
    def check(name: str, value: Any) -> str:
        if value not in options:
            raise ScenarioError(f"{name}: must be one of {', '.join(options)}, got {value!r}")
        return value

    return check


SECTIONS: dict[str, tuple[type, dict[str, Check]]] = {
    "population": (
        Population,
        {
            "residents": count,
            "bank_customer_share": share,
            "banks": distribution(BANKS),
            "card_holder_share": share,
            "devices": distribution(DEVICES),
            "pin_recall_mean": share,
            "pin_recall_concentration": positive,
            "patience_tries_min": count,
            "patience_tries_max": count,
            "patience_days_mean": non_negative,
            "code_typo_share": share,
        },
    ),
    "policy": (
        Policy,
        {
            "methods": subset(METHODS),
            "card_devices": subset(CARD_CAPABLE, allow_empty=True),
            "android_supported_share": share,
            "unblock": choice(UNBLOCK),
            "card_application_share": share,
        },
    ),
    "capacity": (
        Capacity,
        {
            "counter_slots_per_day": non_negative,
            "issuance_days": count,
            "provisioned_logins_per_month": positive,
            "cores_per_server": positive_count,
        },
    ),
    "demand": (
        Demand,
        {
            "share": share,
            "window_days": positive_count,
            "half_life_days": non_negative,
            "peak_hour_share": share,
        },
    ),
    "budget": (Budget, {"amount": positive, "currency": text, "covers": text}),
}
OPTIONAL_SECTIONS = {"budget"}


def _section(data: dict, section: str, label: str):
    kind, checks = SECTIONS[section]
    raw = data.get(section)
    if not isinstance(raw, dict):
        raise ScenarioError(f"{label}: missing the [{section}] table")
    unknown = sorted(set(raw) - set(checks))
    if unknown:
        raise ScenarioError(f"{label}: [{section}] has unknown parameters {unknown}")
    missing = [k for k in checks if k not in raw]
    if missing:
        raise ScenarioError(f"{label}: [{section}] lacks {missing}")
    return kind(**{k: check(f"{label}: {section}.{k}", raw[k]) for k, check in checks.items()})


def parse(data: dict, label: str) -> Scenario:
    """Validate a decoded scenario table; `label` names it in every error."""
    known = {"name", "title", "summary", "sources", *SECTIONS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ScenarioError(f"{label}: unknown top-level keys {unknown}")
    parts = {
        s: _section(data, s, label) for s in SECTIONS if s not in OPTIONAL_SECTIONS or s in data
    }
    population, policy = parts["population"], parts["policy"]
    if population.patience_tries_min > population.patience_tries_max:
        raise ScenarioError(f"{label}: population.patience_tries_min is above patience_tries_max")
    if "card" in policy.methods and not policy.card_devices:
        raise ScenarioError(f"{label}: policy.card_devices is empty but the policy allows the card")
    scenario = Scenario(
        name=text(f"{label}: name", data.get("name")),
        title=text(f"{label}: title", data.get("title")),
        summary=text(f"{label}: summary", data.get("summary")),
        budget=parts.get("budget"),
        sources=_sources(data.get("sources"), label),
        **{k: v for k, v in parts.items() if k != "budget"},
    )
    needed = {f"{s}.{k}" for s, (_, checks) in SECTIONS.items() if s in data for k in checks}
    missing = sorted(needed - set(scenario.sources))
    if missing:
        raise ScenarioError(f"{label}: every parameter needs a source; [sources] lacks {missing}")
    extra = sorted(set(scenario.sources) - needed)
    if extra:
        raise ScenarioError(f"{label}: [sources] names unknown parameters {extra}")
    return scenario


def _sources(raw: Any, label: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{label}: missing the [sources] table (one entry per parameter)")
    return {str(k): text(f"{label}: sources.{k}", v) for k, v in raw.items()}


def load(path: Path | str) -> Scenario:
    """Read and validate one scenario file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: not valid TOML ({error})") from None
    return parse(data, path.name)


def builtin(name: str) -> Path:
    """The path of a scenario shipped in policy_sim/scenarios/."""
    return Path(__file__).with_name("scenarios") / f"{name}.toml"


def is_assumption(source: str) -> bool:
    return source.startswith(ASSUMPTION)
