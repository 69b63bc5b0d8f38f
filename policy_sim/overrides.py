"""What-if overrides from the command line: `--set [SCENARIO:]section.parameter[.key]=VALUE`.

The value is read as a TOML value (`0.8`, `"password"`, `["bank"]`, `{ iphone = 0.9, ... }`)
and written into the scenario's table before validation, so an override is checked exactly as
the file is; its source becomes "Override: ..." and the report lists it.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from dataclasses import replace
from typing import Any

from .scenario import OVERRIDE
from .scenario import PREFIXES
from .scenario import Scenario
from .scenario import ScenarioError
from .scenario import parse


@dataclass(frozen=True)
class Override:
    scenario: str | None  # None: every scenario that has the parameter
    path: tuple[str, ...]  # section, parameter[, key]
    text: str
    value: Any

    @property
    def parameter(self) -> str:
        return ".".join(self.path[:2])


def read(given: str) -> Override:
    """One `--set` argument, or ScenarioError saying what is wrong with it."""
    target, sep, text = given.partition("=")
    if not sep or not text.strip():
        raise ScenarioError(f"--set {given!r}: expected [SCENARIO:]section.parameter=VALUE")
    scenario, colon, dotted = target.strip().rpartition(":")
    path = tuple(dotted.split("."))
    if len(path) not in (2, 3) or not all(path):
        raise ScenarioError(f"--set {given!r}: name a parameter as section.parameter[.key]")
    try:
        value = tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        raise ScenarioError(f"--set {given!r}: {text!r} is not a value (quote text)") from None
    return Override(scenario if colon else None, path, text.strip(), value)


def applies(override: Override, data: dict) -> bool:
    if override.scenario is not None:
        return data.get("name") == override.scenario
    return override.path[1] in data.get(override.path[0], {})


def apply(data: dict, label: str, overrides: list[Override]) -> Scenario:
    """The scenario of `data` with the overrides that concern it, validated as a file is."""
    changed = copy.deepcopy(data)
    mine = [o for o in overrides if applies(o, data)]
    for override in mine:
        section, name, *key = override.path
        table = changed.setdefault(section, {})
        if name not in table and not (override.scenario and section in changed):
            raise ScenarioError(f"{label}: --set names unknown parameter {override.parameter}")
        old = table.get(name)
        if key:
            if not isinstance(old, dict) or key[0] not in old:
                raise ScenarioError(f"{label}: --set {override.parameter} has no key {key[0]}")
            table[name] = {**old, key[0]: override.value}
        else:
            table[name] = override.value
        source = changed["sources"].get(override.parameter, "")
        changed["sources"][override.parameter] = (
            f"{PREFIXES[OVERRIDE]} {'.'.join(override.path)} = {override.text} on the command "
            f"line (the file has {old!r}: {source})"
        )
        changed.get("ranges", {}).pop(override.parameter, None)
    scenario = parse(changed, label)
    given = tuple((".".join(o.path), o.text) for o in mine)
    return replace(scenario, overrides=given)
