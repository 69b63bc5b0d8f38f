"""Scenario files: a TOML policy with every parameter sourced, validated into dataclasses.

Each parameter's source says what kind of figure it is by its first word: "Assumption:" (a
modelling choice), "Fitted:" (chosen so the model matches a named historical figure), otherwise
a figure from public reporting. Every numeric assumption and fitted value carries a plausible
[low, high] range in [ranges], which the sensitivity analysis uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass
from dataclasses import fields
from pathlib import Path
from typing import Any

from . import checks as c
from .checks import ScenarioError

__all__ = ["ScenarioError", "Scenario", "load", "parse", "builtin"]

DEVICES = ("card_reader_pc", "pc", "android_nfc", "iphone", "none")  # "pc": no card reader
PHONES = ("android_nfc", "iphone")
METHODS = ("bank", "card")
CARD_CAPABLE = ("card_reader_pc", "android_nfc", "iphone")  # devices that can reach a card
BANKS = ("aurora", "kide", "revontuli")  # the demo federation's banks (bank_mock/banks.py)
UNBLOCK = ("counter_reset", "desk_authorisation")
AGE_BANDS = ("under_40", "40_to_64", "65_plus")
SECRETS = ("pin", "password")  # the card's 4-digit PIN, or the signature certificate password
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ASSUMPTION, FITTED, OVERRIDE, SOURCED = "assumption", "fitted", "override", "sourced"
PREFIXES = {ASSUMPTION: "Assumption:", FITTED: "Fitted:", OVERRIDE: "Override:"}


@dataclass(frozen=True)
class Population:
    residents: int
    age_bands: dict[str, float]
    devices: dict[str, dict[str, float]]
    bank_customer_share: float
    banks: dict[str, float]
    card_holder_share: float
    patience_tries_min: int
    patience_tries_max: int
    patience_days_mean: float
    code_typo_share: float
    online_intent_share: float


@dataclass(frozen=True)
class Policy:
    methods: tuple[str, ...]
    card_devices: tuple[str, ...]
    phone_supported: dict[str, float]
    unblock: str
    card_application_share: float


@dataclass(frozen=True)
class Card:
    secret: str
    tries: int
    recall_mean: float
    recall_concentration: float
    certificate_unusable_share: float


@dataclass(frozen=True)
class Capacity:
    counter_visits_per_day: float
    counter_size_exponent: float
    visit_hours: float
    issuance_days: int
    provisioned_logins_per_month: float
    cores_per_server: int
    target_utilisation: float


@dataclass(frozen=True)
class Demand:
    share: float
    window_days: int
    half_life_days: float
    peak_hour_share: float


@dataclass(frozen=True)
class Calendar:
    start: dt.date
    counter_holidays: tuple[dt.date, ...]
    closed_weekdays: tuple[str, ...]


@dataclass(frozen=True)
class Municipalities:
    count: int
    size_sigma: float
    online_start: dict[int | None, float]
    paper_mail: dict[int | None, float]


@dataclass(frozen=True)
class Payment:
    non_applicant_share: float
    paper_return_days_mean: float
    online_lag_days: float
    paper_lag_days: float


@dataclass(frozen=True)
class Costs:
    currency: str
    paper_application: float
    online_application: float
    counter_visit: float
    login_fee: dict[str, float]
    desk_authorisation: float
    operation_per_month: float


SECTIONS: dict[str, tuple[type, dict[str, c.Check]]] = {
    "population": (Population, {
        "residents": c.count, "age_bands": c.distribution(AGE_BANDS),
        "devices": c.per_key(AGE_BANDS, c.distribution(DEVICES)),
        "bank_customer_share": c.share, "banks": c.distribution(BANKS),
        "card_holder_share": c.share, "patience_tries_min": c.count,
        "patience_tries_max": c.count, "patience_days_mean": c.non_negative,
        "code_typo_share": c.share, "online_intent_share": c.share,
    }),
    "policy": (Policy, {
        "methods": c.subset(METHODS), "card_devices": c.subset(CARD_CAPABLE, allow_empty=True),
        "phone_supported": c.per_key(PHONES, c.share), "unblock": c.choice(UNBLOCK),
        "card_application_share": c.share,
    }),
    "card": (Card, {
        "secret": c.choice(SECRETS), "tries": c.positive_count, "recall_mean": c.share,
        "recall_concentration": c.positive, "certificate_unusable_share": c.share,
    }),
    "capacity": (Capacity, {
        "counter_visits_per_day": c.non_negative, "counter_size_exponent": c.non_negative,
        "visit_hours": c.positive, "issuance_days": c.count,
        "provisioned_logins_per_month": c.positive, "cores_per_server": c.positive_count,
        "target_utilisation": c.positive,
    }),
    "demand": (Demand, {
        "share": c.share, "window_days": c.positive_count, "half_life_days": c.non_negative,
        "peak_hour_share": c.share,
    }),
    "calendar": (Calendar, {
        "start": c.date, "counter_holidays": c.dates,
        "closed_weekdays": c.subset(WEEKDAYS, allow_empty=True),
    }),
    "municipalities": (Municipalities, {
        "count": c.positive_count, "size_sigma": c.non_negative,
        "online_start": c.day_shares, "paper_mail": c.day_shares,
    }),
    "payment": (Payment, {
        "non_applicant_share": c.share, "paper_return_days_mean": c.non_negative,
        "online_lag_days": c.non_negative, "paper_lag_days": c.non_negative,
    }),
    "costs": (Costs, {
        "currency": c.text, "paper_application": c.non_negative,
        "online_application": c.non_negative, "counter_visit": c.non_negative,
        "login_fee": c.per_key(METHODS, c.non_negative), "desk_authorisation": c.non_negative,
        "operation_per_month": c.non_negative,
    }),
}  # fmt: skip
OPTIONAL_SECTIONS = {"payment", "costs"}


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    summary: str
    population: Population
    policy: Policy
    card: Card
    capacity: Capacity
    demand: Demand
    calendar: Calendar
    municipalities: Municipalities
    payment: Payment | None
    costs: Costs | None
    sources: dict[str, str]
    ranges: dict[str, tuple[float, float]]
    overrides: tuple[tuple[str, str], ...] = ()  # (parameter, value as given) from --set

    def value(self, name: str) -> Any:
        section, field = name.split(".")
        return getattr(getattr(self, section), field)

    def parameters(self) -> list[tuple[str, Any, str]]:
        """Every parameter as (dotted name, value, source), in file order."""
        rows = []
        for section in SECTIONS:
            part = getattr(self, section)
            if part is not None:
                rows += [(f"{section}.{f.name}", getattr(part, f.name), self.sources[
                    f"{section}.{f.name}"]) for f in fields(part)]  # fmt: skip
        return rows

    def replaced(self, values: dict[str, Any]) -> Scenario:
        """This scenario with some parameters set to new (already valid) values."""
        parts: dict[str, Any] = {}
        for name, value in values.items():
            section, field = name.split(".")
            parts[section] = dataclasses.replace(parts.get(section) or getattr(self, section),
                                                 **{field: value})  # fmt: skip
        return dataclasses.replace(self, **parts)


def kind(source: str) -> str:
    """What kind of figure a source describes: assumption, fitted, override or sourced."""
    return next((k for k, prefix in PREFIXES.items() if source.startswith(prefix)), SOURCED)


def _section(data: dict, section: str, label: str):
    made, checks = SECTIONS[section]
    raw = data.get(section)
    if not isinstance(raw, dict):
        raise ScenarioError(f"{label}: missing the [{section}] table")
    unknown = sorted(set(raw) - set(checks))
    if unknown:
        raise ScenarioError(f"{label}: [{section}] has unknown parameters {unknown}")
    missing = [k for k in checks if k not in raw]
    if missing:
        raise ScenarioError(f"{label}: [{section}] lacks {missing}")
    return made(**{k: check(f"{label}: {section}.{k}", raw[k]) for k, check in checks.items()})


def parse(data: dict, label: str) -> Scenario:
    """Validate a decoded scenario table; `label` names it in every error."""
    known = {"name", "title", "summary", "sources", "ranges", *SECTIONS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ScenarioError(f"{label}: unknown top-level keys {unknown}")
    present = [s for s in SECTIONS if s not in OPTIONAL_SECTIONS or s in data]
    parts = {s: _section(data, s, label) for s in present}
    population, policy = parts["population"], parts["policy"]
    if population.patience_tries_min > population.patience_tries_max:
        raise ScenarioError(f"{label}: population.patience_tries_min is above patience_tries_max")
    if "card" in policy.methods and not policy.card_devices:
        raise ScenarioError(f"{label}: policy.card_devices is empty but the policy allows the card")
    sources = _sources(data.get("sources"), label)
    needed = {f"{s}.{k}" for s in present for k in SECTIONS[s][1]}
    missing, extra = sorted(needed - set(sources)), sorted(set(sources) - needed)
    if missing:
        raise ScenarioError(f"{label}: every parameter needs a source; [sources] lacks {missing}")
    if extra:
        raise ScenarioError(f"{label}: [sources] names unknown parameters {extra}")
    scenario = Scenario(
        name=c.text(f"{label}: name", data.get("name")),
        title=c.text(f"{label}: title", data.get("title")),
        summary=c.text(f"{label}: summary", data.get("summary")),
        **{s: parts.get(s) for s in SECTIONS},
        sources=sources,
        ranges={},
    )
    return dataclasses.replace(scenario, ranges=_ranges(scenario, data.get("ranges", {}), label))


def _sources(raw: Any, label: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{label}: missing the [sources] table (one entry per parameter)")
    sources = {str(k): c.text(f"{label}: sources.{k}", v) for k, v in raw.items()}
    for name, source in sources.items():
        lowered = source.lower()
        for word in ("assumption", "fitted"):
            if word in lowered.split(":")[0] and kind(source) == SOURCED:
                raise ScenarioError(
                    f"{label}: sources.{name} reads as {word} but does not start with "
                    f"{PREFIXES[word]!r}: start it so, or remove the word"
                )
    return sources


def ranged(scenario: Scenario, name: str) -> bool:
    """Whether a parameter is a number that the scenario assumed or fitted (needs a range)."""
    value = scenario.value(name)
    return isinstance(value, int | float) and not isinstance(value, bool) and kind(
        scenario.sources[name]) in (ASSUMPTION, FITTED)  # fmt: skip


def _ranges(scenario: Scenario, raw: Any, label: str) -> dict[str, tuple[float, float]]:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{label}: [ranges] must be a table of parameter = [low, high]")
    names = {name for name, _, _ in scenario.parameters()}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ScenarioError(f"{label}: [ranges] names unknown parameters {unknown}")
    found = {}
    for name in sorted(names):
        if not ranged(scenario, name):
            if name in raw:
                raise ScenarioError(f"{label}: ranges.{name}: only assumed or fitted numbers "
                                    "take a range")  # fmt: skip
            continue
        pair = raw.get(name)
        if pair is None:
            raise ScenarioError(f"{label}: ranges.{name}: an assumed or fitted number needs a "
                                "plausible [low, high] range")  # fmt: skip
        section, field = name.split(".")
        check = SECTIONS[section][1][field]
        if not isinstance(pair, list) or len(pair) != 2:
            raise ScenarioError(f"{label}: ranges.{name}: must be [low, high]")
        low, high = (check(f"{label}: ranges.{name}", v) for v in pair)
        if not low <= scenario.value(name) <= high:
            raise ScenarioError(f"{label}: ranges.{name}: [{low}, {high}] must hold the value "
                                f"{scenario.value(name)}")  # fmt: skip
        found[name] = (low, high)
    return found


def read(path: Path | str) -> dict:
    """The decoded TOML of a scenario file."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: not valid TOML ({error})") from None


def load(path: Path | str) -> Scenario:
    """Read and validate one scenario file."""
    return parse(read(path), Path(path).name)


def builtin(name: str) -> Path:
    """The path of a scenario shipped in policy_sim/scenarios/."""
    return Path(__file__).with_name("scenarios") / f"{name}.toml"
