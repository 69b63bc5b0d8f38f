"""Every setting of the issuing authority, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``CARD_<NAME>`` → the
mapping passed to ``create_app(config)``. Outside debug and testing the issuer refuses to start
without ``CARD_SECRET_KEY``. Two more keys are read from the mapping only: ``VERIFIERS`` and
``DESK_OFFICIALS``, lists of tables shaped like the files' entries (tests use them instead of
files), and any Flask or Flask-WTF key passes through untouched.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..token import KEY_ALGORITHMS

ENV_PREFIX = "CARD_"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
DEBIAN_SOFTHSM2 = "/usr/lib/softhsm/libsofthsm2.so"  # `dpkg -L libsofthsm2` (Debian 12)


class ConfigError(RuntimeError):
    """The configuration cannot run the issuer; the message names what is wrong."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name, its default (whose type it keeps) and what it is for."""

    name: str
    default: Any
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting("ISSUER_URL", "", "Public base URL; empty: http://127.0.0.1:<PORT>. In CDP/AIA URLs."),
    Setting("PORT", 8420, "Port `silta-card issuer run` listens on."),
    Setting("HOST", "127.0.0.1", "Address `silta-card issuer run` listens on."),
    Setting("INSTANCE_PATH", "", "CA keys, register, card tokens; empty: instance/card-issuer/."),
    Setting("DATABASE_URL", "", "SQLAlchemy URL of the register; empty: SQLite in the instance."),
    Setting("PKCS11_MODULE", DEBIAN_SOFTHSM2, "PKCS#11 module holding the cards' tokens."),
    Setting("KEY_ALGORITHM", "EC-P256", "Key type of CAs and cards: EC-P256 or RSA-2048."),
    Setting("SECRET_KEY", "", "Signs the browser cookie (CSRF token, desk login). Required."),
    Setting("DEBUG", False, "Demo mode: a missing SECRET_KEY and demo credentials are made."),
    Setting("TESTING", False, "Set by the test suite only."),
    Setting("VERIFIERS_FILE", "", "TOML of verifiers allowed on /api ([[verifiers]]); README."),
    Setting("DESK_OFFICIALS_FILE", "", "TOML of PIN-reset desk officials ([[officials]])."),
    Setting("SEED_DEMO_HOLDERS", False, "Add the demo holders to the register at start-up."),
    Setting(
        "CRL_LIFETIME_SECONDS", 3600, "nextUpdate − thisUpdate of the CRL (RFC 5280 §5.1.2.5)."
    ),
    Setting("OCSP_LIFETIME_SECONDS", 600, "nextUpdate − thisUpdate of OCSP answers (RFC 6960)."),
    Setting(
        "API_RATE_LIMIT_PER_MINUTE", 120, "Failed API authentications per client address a minute."
    ),
    Setting(
        "VERIFIER_RATE_LIMIT_PER_MINUTE",
        12000,
        "API calls a minute per registered verifier (the broker: one per card login).",
    ),
    Setting("FORM_RATE_LIMIT_PER_MINUTE", 10, "Desk logins and lost-card reports per address."),
    Setting("RESET_CODE_HOURS", 24, "How long a PIN-reset code stays usable."),
    Setting("DESK_SESSION_MINUTES", 30, "How long an official's desk login lasts."),
)


def env_name(setting: Setting) -> str:
    """The environment variable of a setting: ``CARD_<NAME>``."""
    return ENV_PREFIX + setting.name


def _coerce(setting: Setting, raw: Any) -> Any:
    if isinstance(setting.default, bool):
        value = raw if isinstance(raw, bool) else str(raw).strip().lower()
        if value in (True, "1", "true", "yes", "on"):
            return True
        if value in (False, "0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{env_name(setting)} must be true or false, not {raw!r}.")
    if isinstance(setting.default, int):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{env_name(setting)} must be a whole number, not {raw!r}.") from None
    return str(raw)


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None):
    """Return the settings as a plain dict, in the documented load order, defaults filled in."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    known = {env_name(s) for s in SETTINGS}
    unknown = sorted(k for k in environ if k.startswith(ENV_PREFIX) and k not in known)
    if unknown:
        raise ConfigError(f"Unknown setting {unknown[0]}: see card_mock/issuer/config.py.")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(env_name(setting), setting.default)
        values[setting.name] = _coerce(setting, overrides.pop(setting.name, raw))
    values.update(overrides)  # VERIFIERS, DESK_OFFICIALS and framework keys pass through
    values["ISSUER_URL"] = values["ISSUER_URL"] or f"http://127.0.0.1:{values['PORT']}"
    values["INSTANCE_PATH"] = values["INSTANCE_PATH"] or str(
        PACKAGE_ROOT.parent / "instance" / "card-issuer"
    )
    return values


def check(values: dict) -> None:
    """Fail fast on a configuration the issuer must not run with; fill the demo secret."""
    if values["ISSUER_URL"].endswith("/"):
        raise ConfigError("CARD_ISSUER_URL must not end with a slash.")
    if values["KEY_ALGORITHM"] not in KEY_ALGORITHMS:
        raise ConfigError(f"CARD_KEY_ALGORITHM must be one of {', '.join(KEY_ALGORITHMS)}.")
    for name in (
        "CRL_LIFETIME_SECONDS",
        "OCSP_LIFETIME_SECONDS",
        "API_RATE_LIMIT_PER_MINUTE",
        "VERIFIER_RATE_LIMIT_PER_MINUTE",
    ):
        if values[name] < 1:
            raise ConfigError(f"CARD_{name} must be at least 1.")
    if not values["SECRET_KEY"]:
        if values["DEBUG"]:
            values["SECRET_KEY"] = demo_secret(Path(values["INSTANCE_PATH"]), "SECRET_KEY")
        elif values["TESTING"]:
            values["SECRET_KEY"] = secrets.token_urlsafe(32)
        else:
            raise ConfigError(
                "The card issuer will not start: CARD_SECRET_KEY is not set. Set it in the "
                "environment, or run with CARD_DEBUG=1 for a local demo."
            )


def demo_secret(instance: Path, name: str) -> str:
    """Generate a demo secret once and keep it (0600), so it survives a restart."""
    path = instance / "demo-secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    if name not in stored:
        stored[name] = secrets.token_urlsafe(32)
        instance.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(stored, indent=2))
    return stored[name]
