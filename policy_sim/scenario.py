"""Scenario files: a TOML policy with every parameter sourced, validated into dataclasses.

Each parameter's source says what kind of figure it is by its first word: "Assumption:" (a
modelling choice), "Fitted:" (chosen so the model matches a named historical figure), otherwise
a figure from public reporting. Every numeric assumption and fitted value carries a plausible
[low, high] range in [ranges], which the sensitivity analysis uses.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from dataclasses import fields
from pathlib import Path
from typing import Any

from . import checks as c
from .checks import ScenarioError

# Re-exported: the vocabulary of scenario files, for the modules that use it.
from .sections import AGE_BANDS  # noqa: F401
from .sections import BANKS  # noqa: F401
from .sections import CARD_CAPABLE  # noqa: F401
from .sections import DEVICES  # noqa: F401
from .sections import METHODS  # noqa: F401
from .sections import OPTIONAL_SECTIONS
from .sections import SECTIONS
from .sections import WEEKDAYS  # noqa: F401
from .sections import Calendar
from .sections import Capacity
from .sections import Card
from .sections import Costs
from .sections import Demand
from .sections import Municipalities
from .sections import Payment
from .sections import Policy
from .sections import Population

ASSUMPTION, FITTED, OVERRIDE, SOURCED = "assumption", "fitted", "override", "sourced"
PREFIXES = {ASSUMPTION: "Assumption:", FITTED: "Fitted:", OVERRIDE: "Override:"}


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
                rows += [
                    (
                        f"{section}.{f.name}",
                        getattr(part, f.name),
                        self.sources[f"{section}.{f.name}"],
                    )
                    for f in fields(part)
                ]
        return rows

    def replaced(self, values: dict[str, Any]) -> Scenario:
        """This scenario with some parameters set to new (already valid) values."""
        parts: dict[str, Any] = {}
        for name, value in values.items():
            section, field = name.split(".")
            parts[section] = dataclasses.replace(
                parts.get(section) or getattr(self, section), **{field: value}
            )
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
    parts: dict[str, Any] = {s: _section(data, s, label) for s in present}
    population, policy = parts["population"], parts["policy"]
    if population.patience_tries_min > population.patience_tries_max:
        raise ScenarioError(f"{label}: population.patience_tries_min is above patience_tries_max")
    if "card" in policy.methods and not policy.card_devices:
        raise ScenarioError(f"{label}: policy.card_devices is empty but the policy allows the card")
    sources = _sources(data.get("sources"), label)
    sections: dict[str, Any] = {s: parts.get(s) for s in SECTIONS}
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
        **sections,
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
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and kind(scenario.sources[name]) in (ASSUMPTION, FITTED)
    )


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
                raise ScenarioError(
                    f"{label}: ranges.{name}: only assumed or fitted numbers take a range"
                )
            continue
        pair = raw.get(name)
        if pair is None:
            raise ScenarioError(
                f"{label}: ranges.{name}: an assumed or fitted number needs a "
                "plausible [low, high] range"
            )
        section, field = name.split(".")
        check = SECTIONS[section][1][field]
        if not isinstance(pair, list) or len(pair) != 2:
            raise ScenarioError(f"{label}: ranges.{name}: must be [low, high]")
        low, high = (check(f"{label}: ranges.{name}", v) for v in pair)
        if not low <= scenario.value(name) <= high:
            raise ScenarioError(
                f"{label}: ranges.{name}: [{low}, {high}] must hold the value "
                f"{scenario.value(name)}"
            )
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
