"""Every setting of a mock bank, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``BANK_<NAME>`` (BANK_ID is
simply ``BANK_ID``) → the mapping passed to ``create_app(config)``. Outside debug and testing a
bank refuses to start without ``BANK_SECRET_KEY`` or its signing key, and says so. Two more
keys are read from the mapping only: ``CLIENTS``, a list of client tables shaped like
CLIENTS_FILE's ``[[clients]]`` (tests use it instead of a file; both may be given), and any
Flask or Flask-WTF key (e.g. ``WTF_CSRF_ENABLED``), passed through untouched.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .banks import BANKS
from .scenarios import SCENARIOS

ENV_PREFIX = "BANK_"
PACKAGE_ROOT = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """The configuration cannot run the bank; the message names what is wrong."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name, its default (whose type it keeps) and what it is for."""

    name: str
    default: Any
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting("BANK_ID", "aurora", "Which bank this process is: aurora, kide or revontuli."),
    Setting("ISSUER", "", "Issuer identifier; empty means http://127.0.0.1:<PORT>. No slash."),
    Setting("PORT", 0, "Port `silta-bank run` listens on; 0 means the bank's demo port."),
    Setting("HOST", "127.0.0.1", "Address `silta-bank run` listens on."),
    Setting(
        "INSTANCE_PATH", "", "Folder for key, database, demo secret; empty: instance/bank-<id>/."
    ),
    Setting("DATABASE_URL", "", "SQLAlchemy URL; empty means SQLite in the instance folder."),
    Setting("SECRET_KEY", "", "Signs the browser cookie (CSRF token, browser id). Required."),
    Setting("DEBUG", False, "Demo mode: missing SECRET_KEY and signing key are made and kept."),
    Setting("TESTING", False, "Set by the test suite only."),
    Setting("CLIENTS_FILE", "", "TOML file of registered brokers ([[clients]]); see README."),
    Setting("SCENARIO", "", "Bank-wide failure scenario at start-up (scenarios.py); empty: none."),
    Setting("LOCKOUT_SECONDS", 900, "How long a customer stays locked after MAX_FAILURES."),
    Setting("MAX_FAILURES", 5, "Wrong login attempts in a row that lock a customer."),
    Setting("RATE_LIMIT_PER_MINUTE", 30, "Login form posts accepted per client address a minute."),
    Setting("DEMO_PAGES", False, "Serve /demo/key-codes and /demo/scenario. Never in production."),
    Setting("SLOW_SECONDS", 8.0, "Delay before every answer under the `slow` scenario."),
)


def env_name(setting: Setting) -> str:
    """The environment variable of a setting: ``BANK_<NAME>``, so BANK_ID is just ``BANK_ID``."""
    return setting.name if setting.name.startswith(ENV_PREFIX) else ENV_PREFIX + setting.name


def _coerce(setting: Setting, raw: Any) -> Any:
    if isinstance(setting.default, bool):
        value = raw if isinstance(raw, bool) else str(raw).strip().lower()
        if value in (True, "1", "true", "yes", "on"):
            return True
        if value in (False, "0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{env_name(setting)} must be true or false, not {raw!r}.")
    if isinstance(setting.default, int | float):
        try:
            return type(setting.default)(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{env_name(setting)} must be a number, not {raw!r}.") from None
    return str(raw)


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None):
    """Return the settings as a plain dict, in the documented load order, defaults filled in."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    known = {env_name(s) for s in SETTINGS}
    unknown = sorted(k for k in environ if k.startswith(ENV_PREFIX) and k not in known)
    if unknown:
        raise ConfigError(f"Unknown setting {unknown[0]}: see bank_mock/config.py.")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(env_name(setting), setting.default)
        values[setting.name] = _coerce(setting, overrides.pop(setting.name, raw))
    values.update(overrides)  # CLIENTS and framework keys pass through untouched
    bank_id = values["BANK_ID"]
    if bank_id not in BANKS:
        raise ConfigError(f"BANK_ID must be one of {', '.join(BANKS)}, not {bank_id!r}.")
    values["PORT"] = values["PORT"] or BANKS[bank_id].port
    values["ISSUER"] = values["ISSUER"] or f"http://127.0.0.1:{values['PORT']}"
    values["INSTANCE_PATH"] = values["INSTANCE_PATH"] or str(
        PACKAGE_ROOT.parent / "instance" / f"bank-{bank_id}"
    )
    return values


def check(values: dict) -> None:
    """Fail fast on a configuration a bank must not run with; fill the demo secret in debug."""
    if values["ISSUER"].endswith("/"):
        raise ConfigError("BANK_ISSUER must not end with a slash.")
    if values["SCENARIO"] and values["SCENARIO"] not in SCENARIOS:
        raise ConfigError(
            f"BANK_SCENARIO {values['SCENARIO']!r} is unknown; choose one of "
            f"{', '.join(SCENARIOS)} or leave it empty."
        )
    for name in ("MAX_FAILURES", "RATE_LIMIT_PER_MINUTE"):
        if values[name] < 1:
            raise ConfigError(f"BANK_{name} must be at least 1.")
    if not values["SECRET_KEY"]:
        if values["DEBUG"]:
            values["SECRET_KEY"] = _demo_secret(Path(values["INSTANCE_PATH"]))
        elif values["TESTING"]:
            values["SECRET_KEY"] = secrets.token_urlsafe(32)
        else:
            raise ConfigError(
                "The mock bank will not start: BANK_SECRET_KEY is not set. Set it in the "
                "environment, or run with BANK_DEBUG=1 for a local demo."
            )


def _demo_secret(instance: Path) -> str:
    """Generate the demo SECRET_KEY once and keep it, so cookies survive a restart."""
    path = instance / "demo-secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    if "SECRET_KEY" not in stored:
        stored["SECRET_KEY"] = secrets.token_urlsafe(32)
        instance.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(stored, indent=2))
    return stored["SECRET_KEY"]
