"""Settings as data: one declared table per application, read in one order, failing fast by name.

Load order (later wins): each setting's default → the environment variable ``<PREFIX><NAME>`` →
the mapping passed to ``create_app(config)``. Keys of that mapping that are not settings (Flask's,
Flask-WTF's, an application's test-only tables) pass through untouched. A secret is required
outside debug and testing; in debug it is generated once and kept in the instance folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEMO_SECRETS_FILE = "demo-secrets.json"
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class ConfigError(RuntimeError):
    """The configuration cannot run the application; the message names what is wrong."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name, its default (whose type it keeps) and what it is for."""

    name: str
    default: str | bool | int | float
    doc: str
    secret: bool = False  # required outside debug; generated and kept in the instance in debug


@dataclass(frozen=True)
class Settings:
    """An application's settings table and how the environment names them."""

    table: tuple[Setting, ...]
    prefix: str  # "SILTA_", "BANK_", ...
    application: str  # the subject of "… will not start": "Silta", "The mock bank"
    docs: str  # where a reader finds every setting described
    reserved: tuple[str, ...] = ()  # environment prefixes that are not settings (SILTA_TEST_)

    def env_name(self, setting: Setting) -> str:
        """``<PREFIX><NAME>``; a name that already starts with the prefix (BANK_ID) is kept."""
        return setting.name if setting.name.startswith(self.prefix) else self.prefix + setting.name

    def coerce(self, setting: Setting, raw: object) -> Any:
        """The value in the default's type, or a ConfigError naming the environment variable."""
        default, name = setting.default, self.env_name(setting)
        if isinstance(default, bool):
            value = raw if isinstance(raw, bool) else str(raw).strip().lower()
            if value is True or value in _TRUE:
                return True
            if value is False or value in _FALSE:
                return False
            raise ConfigError(f"{name} must be true or false, not {raw!r}.")
        try:
            if isinstance(default, int):
                return int(str(raw).strip())
            if isinstance(default, float):
                return float(str(raw).strip())
        except ValueError:
            wanted = "a whole number" if isinstance(default, int) else "a number"
            raise ConfigError(f"{name} must be {wanted}, not {raw!r}.") from None
        return str(raw)

    def load(
        self, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """The settings as a plain dict, in the documented load order; unknown names refused."""
        environ = os.environ if environ is None else environ
        known = {self.env_name(s) for s in self.table}
        ours = (key for key in environ if key.startswith(self.prefix))
        unknown = sorted(k for k in ours if k not in known and not k.startswith(self.reserved))
        if unknown:
            raise ConfigError(f"Unknown setting {unknown[0]}: see {self.docs}.")
        rest = dict(overrides or {})
        values: dict[str, Any] = {}
        for setting in self.table:
            raw = environ.get(self.env_name(setting), setting.default)
            values[setting.name] = self.coerce(setting, rest.pop(setting.name, raw))
        values.update(rest)  # framework keys and test-only tables pass through untouched
        return values

    def check_secrets(self, values: dict[str, Any], instance: Path) -> None:
        """Fail fast on a missing secret; in debug make it once and keep it, in testing for now."""
        missing = [s.name for s in self.table if s.secret and not values[s.name]]
        if not missing:
            return
        if values["DEBUG"]:
            values.update(demo_secrets(instance, missing))
        elif values["TESTING"]:
            # A test run gets throwaway secrets for this process, never empty ones.
            values.update({name: secrets.token_urlsafe(32) for name in missing})
        else:
            names = ", ".join(self.prefix + name for name in missing)
            one = len(missing) == 1
            raise ConfigError(
                f"{self.application} will not start: {names} {'is' if one else 'are'} not set. "
                f"Set {'it' if one else 'them'} in the environment (see {self.docs}), or run "
                f"with {self.prefix}DEBUG=1 for a local demo."
            )


def demo_secrets(instance: Path, names: Iterable[str]) -> dict[str, str]:
    """Each named demo secret, generated once and kept (0600) in ``instance/demo-secrets.json``.

    Kept so that what the secrets protect (cookies, pairwise subjects, API keys) survives a
    restart. The file is rewritten whole under a lock, so no reader ever sees half of it.
    """
    instance.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = instance / DEMO_SECRETS_FILE
    with open(instance / f".{DEMO_SECRETS_FILE}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stored = _read_secrets(path)
        wanted = list(names)
        if any(name not in stored for name in wanted):
            for name in wanted:
                stored.setdefault(name, secrets.token_urlsafe(32))
            draft = path.with_name(f".{DEMO_SECRETS_FILE}.{secrets.token_hex(6)}")
            descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                json.dump(stored, handle, indent=2)
            draft.replace(path)
    return {name: stored[name] for name in wanted}


def demo_secret(instance: Path, name: str) -> str:
    """One demo secret (see ``demo_secrets``)."""
    return demo_secrets(instance, [name])[name]


def _read_secrets(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        stored = json.loads(path.read_text())
    except ValueError:
        stored = None
    if not isinstance(stored, dict):
        raise ConfigError(f"{path} is not a JSON object: delete it to have new demo secrets made.")
    return {str(k): str(v) for k, v in stored.items()}
