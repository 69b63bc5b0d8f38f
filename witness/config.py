"""Every setting of the witness, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``WITNESS_<NAME>`` → the
mapping passed to ``create_app(config)`` (silta_common/settings.py reads every application's
table the same way). Outside debug and testing the witness refuses to start without
``WITNESS_OPERATOR_TOKEN`` or its key, and says so. One more key is read from the mapping only:
``LOGS``, a list of log tables shaped like LOGS_FILE's ``[[logs]]`` (tests use it instead of a
file).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from silta_common.settings import ConfigError
from silta_common.settings import Setting
from silta_common.settings import Settings
from silta_common.tlog.keys import KeyFormatError
from silta_common.tlog.keys import check_name

ENV_PREFIX = "WITNESS_"
PACKAGE_ROOT = Path(__file__).resolve().parent
__all__ = ["SETTINGS", "ConfigError", "check", "load"]

SETTINGS: tuple[Setting, ...] = (
    Setting("NAME", "witness.silta.localhost", "The witness's key name (C2SP signed-note)."),
    Setting("PORT", 8440, "Port `silta-witness run` listens on."),
    Setting("HOST", "127.0.0.1", "Address `silta-witness run` listens on."),
    Setting("INSTANCE_PATH", "", "Folder for key and database; empty: instance/witness/."),
    Setting("DATABASE_URL", "", "SQLAlchemy URL; empty means SQLite in the instance folder."),
    Setting("DEBUG", False, "Demo mode: a missing key and operator token are made and kept."),
    Setting("TESTING", False, "Set by the test suite only."),
    Setting("LOGS_FILE", "", "TOML file of the logs witnessed ([[logs]]); see README."),
    Setting("POLL_SECONDS", 30, "How often `silta-witness run` fetches each log; 0: on request."),
    Setting("FETCH_TIMEOUT_SECONDS", 5.0, "Bound on each fetch from a log, connect and read."),
    Setting("MAX_BODY_BYTES", 65536, "Largest checkpoint, proof or request accepted, in bytes."),
    Setting("OPERATOR_TOKEN", "", "Bearer token for POST /witness/poll. Required.", secret=True),
)


WITNESS = Settings(SETTINGS, ENV_PREFIX, application="The witness", docs="docs/configuration.md")


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the settings as a plain dict, in the documented load order, defaults filled in."""
    values = WITNESS.load(overrides, environ)  # LOGS and framework keys pass through untouched
    values["INSTANCE_PATH"] = values["INSTANCE_PATH"] or str(
        PACKAGE_ROOT.parent / "instance" / "witness"
    )
    return values


def check(values: dict[str, Any]) -> None:
    """Fail fast on a configuration the witness must not run with; fill the demo token."""
    try:
        check_name(values["NAME"])
    except KeyFormatError as error:
        raise ConfigError(f"WITNESS_NAME cannot name a key: {error}.") from None
    if values["POLL_SECONDS"] < 0:
        raise ConfigError("WITNESS_POLL_SECONDS must be 0 (on request only) or more.")
    if not 0 < values["FETCH_TIMEOUT_SECONDS"] <= 60:
        raise ConfigError("WITNESS_FETCH_TIMEOUT_SECONDS must be more than 0 and at most 60.")
    if values["MAX_BODY_BYTES"] < 1024:
        raise ConfigError("WITNESS_MAX_BODY_BYTES must be at least 1024.")
    WITNESS.check_secrets(values, Path(values["INSTANCE_PATH"]))
    if len(values["OPERATOR_TOKEN"]) < 32:
        raise ConfigError("WITNESS_OPERATOR_TOKEN must be at least 32 characters.")
