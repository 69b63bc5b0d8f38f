"""Every setting of a mock bank, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``BANK_<NAME>`` (BANK_ID is
simply ``BANK_ID``) → the mapping passed to ``create_app(config)``. Outside debug and testing a
bank refuses to start without ``BANK_SECRET_KEY`` or its signing key, and says so. Two more
keys are read from the mapping only: ``CLIENTS``, a list of client tables shaped like
CLIENTS_FILE's ``[[clients]]`` (tests use it instead of a file; both may be given), and any
Flask or Flask-WTF key (e.g. ``WTF_CSRF_ENABLED``), passed through untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from silta_common.settings import ConfigError
from silta_common.settings import Setting
from silta_common.settings import Settings

from .banks import BANKS
from .scenarios import SCENARIOS

ENV_PREFIX = "BANK_"
PACKAGE_ROOT = Path(__file__).resolve().parent
__all__ = ["SETTINGS", "ConfigError", "check", "load"]

SETTINGS: tuple[Setting, ...] = (
    Setting("BANK_ID", "aurora", "Which bank this process is: aurora, kide or revontuli."),
    Setting("ISSUER", "", "Issuer identifier; empty means http://127.0.0.1:<PORT>. No slash."),
    Setting("PORT", 0, "Port `silta-bank run` listens on; 0 means the bank's demo port."),
    Setting("HOST", "127.0.0.1", "Address `silta-bank run` listens on."),
    Setting(
        "INSTANCE_PATH", "", "Folder for key, database, demo secret; empty: instance/bank-<id>/."
    ),
    Setting("DATABASE_URL", "", "SQLAlchemy URL; empty means SQLite in the instance folder."),
    Setting(
        "SECRET_KEY",
        "",
        "Signs the browser cookie (CSRF token, browser id). Required.",
        secret=True,
    ),
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


BANK = Settings(SETTINGS, ENV_PREFIX, application="The mock bank", docs="docs/configuration.md")


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the settings as a plain dict, in the documented load order, defaults filled in."""
    values = BANK.load(overrides, environ)  # CLIENTS and framework keys pass through untouched
    bank_id = values["BANK_ID"]
    if bank_id not in BANKS:
        raise ConfigError(f"BANK_ID must be one of {', '.join(BANKS)}, not {bank_id!r}.")
    values["PORT"] = values["PORT"] or BANKS[bank_id].port
    values["ISSUER"] = values["ISSUER"] or f"http://127.0.0.1:{values['PORT']}"
    values["INSTANCE_PATH"] = values["INSTANCE_PATH"] or str(
        PACKAGE_ROOT.parent / "instance" / f"bank-{bank_id}"
    )
    return values


def check(values: dict[str, Any]) -> None:
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
    BANK.check_secrets(values, Path(values["INSTANCE_PATH"]))
