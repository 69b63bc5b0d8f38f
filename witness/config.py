"""Every setting of the witness, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``WITNESS_<NAME>`` → the
mapping passed to ``create_app(config)``. Outside debug and testing the witness refuses to
start without ``WITNESS_OPERATOR_TOKEN`` or its key, and says so. One more key is read from
the mapping only: ``LOGS``, a list of log tables shaped like LOGS_FILE's ``[[logs]]`` (tests
use it instead of a file). Kept in the per-app style of bank_mock/config.py, apart from the
logs (logs.py), so that it moves onto the shared chassis' settings in one step.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from silta_common.tlog.keys import KeyFormatError
from silta_common.tlog.keys import check_name

ENV_PREFIX = "WITNESS_"
PACKAGE_ROOT = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """The configuration cannot run the witness; the message names what is wrong."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name, its default (whose type it keeps) and what it is for."""

    name: str
    default: Any
    doc: str


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
    Setting("OPERATOR_TOKEN", "", "Bearer token for POST /witness/poll. Required."),
)


def env_name(setting: Setting) -> str:
    """The environment variable of a setting: ``WITNESS_<NAME>``."""
    return ENV_PREFIX + setting.name


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


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the settings as a plain dict, in the documented load order, defaults filled in."""
    environ = os.environ if environ is None else environ
    extra = dict(overrides or {})
    known = {env_name(s) for s in SETTINGS}
    unknown = sorted(k for k in environ if k.startswith(ENV_PREFIX) and k not in known)
    if unknown:
        raise ConfigError(f"Unknown setting {unknown[0]}: see witness/config.py.")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(env_name(setting), setting.default)
        values[setting.name] = _coerce(setting, extra.pop(setting.name, raw))
    values.update(extra)  # LOGS and framework keys pass through untouched
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
    if not values["OPERATOR_TOKEN"]:
        if values["DEBUG"]:
            values["OPERATOR_TOKEN"] = _demo_secret(Path(values["INSTANCE_PATH"]))
        elif values["TESTING"]:
            values["OPERATOR_TOKEN"] = secrets.token_urlsafe(32)
        else:
            raise ConfigError(
                "The witness will not start: WITNESS_OPERATOR_TOKEN is not set. Set it in the "
                "environment, or run with WITNESS_DEBUG=1 for a local demo."
            )
    elif len(values["OPERATOR_TOKEN"]) < 32:
        raise ConfigError("WITNESS_OPERATOR_TOKEN must be at least 32 characters.")


def _demo_secret(instance: Path) -> str:
    """Generate the demo operator token once and keep it (0600), so it survives a restart."""
    path = instance / "demo-secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    if "OPERATOR_TOKEN" not in stored:
        stored["OPERATOR_TOKEN"] = secrets.token_urlsafe(32)
        instance.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch(mode=0o600)
        path.write_text(json.dumps(stored, indent=2))
    return str(stored["OPERATOR_TOKEN"])
