"""Validators for scenario parameters: each takes (name, value) and returns the checked value or
raises ScenarioError naming the parameter."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with the file and the parameter in the message."""


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


def date(name: str, value: Any) -> dt.date:
    """A calendar date, written as a TOML date or as YYYY-MM-DD."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(text(name, value))
    except ValueError:
        raise ScenarioError(f"{name}: must be a date YYYY-MM-DD, got {value!r}") from None


def dates(name: str, value: Any) -> tuple[dt.date, ...]:
    if not isinstance(value, list):
        raise ScenarioError(f"{name}: must be a list of dates")
    return tuple(date(f"{name}[{i}]", v) for i, v in enumerate(value))


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


def per_key(keys: tuple[str, ...], inner: Check) -> Check:
    """A table with exactly `keys`, each value checked by `inner`."""

    def check(name: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or set(value) != set(keys):
            raise ScenarioError(f"{name}: needs a table with exactly the keys {', '.join(keys)}")
        return {k: inner(f"{name}.{k}", value[k]) for k in keys}

    return check


def day_shares(name: str, value: Any) -> dict[int | None, float]:
    """Shares by day number ("0", "7", ...) plus "never", adding up to 1."""
    if not isinstance(value, dict) or not value:
        raise ScenarioError(f"{name}: must be a table of day = share (and optionally never)")
    shares: dict[int | None, float] = {}
    for key, part in value.items():
        if key == "never":
            day = None
        elif isinstance(key, str) and key.isdigit():
            day = int(key)
        else:
            raise ScenarioError(f"{name}: keys are day numbers or 'never', got {key!r}")
        shares[day] = share(f"{name}.{key}", part)
    if not math.isclose(sum(shares.values()), 1.0, abs_tol=1e-6):
        raise ScenarioError(
            f"{name}: shares must add up to 1, they add up to {sum(shares.values()):g}"
        )
    return dict(sorted(shares.items(), key=lambda kv: math.inf if kv[0] is None else kv[0]))


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
