"""Every setting of the reader bridge, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``READER_<NAME>`` → the
mapping passed to ``create_app(config)``. Outside debug and testing the bridge refuses to start
without ``READER_SECRET_KEY`` and ``READER_VERIFIER_KEY``. Any Flask or Flask-WTF key in the
mapping passes through untouched.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "READER_"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEBIAN_SOFTHSM2 = "/usr/lib/softhsm/libsofthsm2.so"  # `dpkg -L libsofthsm2` (Debian 12)
DEMO_SECRETS = "demo-secrets.json"
ISSUER_DEMO_READER_KEY = "READER_API_KEY"  # card_mock/issuer/demo.py writes it in debug


class ConfigError(RuntimeError):
    """The configuration cannot run the bridge; the message names what is wrong."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name, its default (whose type it keeps) and what it is for."""

    name: str
    default: Any
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting("PORT", 8421, "Port `silta-card reader run` listens on."),
    Setting("HOST", "127.0.0.1", "Address it listens on: loopback, the citizen's own machine."),
    Setting("INSTANCE_PATH", "", "Card states, journal, snapshots; empty: instance/card-reader/."),
    Setting(
        "ISSUER_INSTANCE_PATH", "", "The demo issuer's instance; empty: instance/card-issuer/."
    ),
    Setting(
        "TOKEN_FOLDER", "", "SoftHSM2 folder of the cards; empty: <ISSUER_INSTANCE_PATH>/cards."
    ),
    Setting("PKCS11_MODULE", DEBIAN_SOFTHSM2, "PKCS#11 module holding the cards' tokens."),
    Setting("ALLOWED_ORIGINS", "http://127.0.0.1:8400", "Broker origins served, comma-separated."),
    Setting(
        "ISSUER_URL", "http://127.0.0.1:8420", "The card authority: reset codes are checked there."
    ),
    Setting("VERIFIER_ID", "silta-reader", "This bridge's verifier id at the authority."),
    Setting("VERIFIER_KEY", "", "Its API key; in debug read from the issuer's demo-secrets.json."),
    Setting("ISSUER_TIMEOUT_SECONDS", 10, "Bound on each call to the authority."),
    Setting("RESET_CODE_TRIES", 5, "Wrong reset codes a card takes before it must be replaced."),
    Setting("SECRET_KEY", "", "Signs the browser cookie (CSRF token, language). Required."),
    Setting("DEBUG", False, "Demo mode: a missing SECRET_KEY is made, the demo issuer's key read."),
    Setting("TESTING", False, "Set by the test suite only."),
)


def env_name(setting: Setting) -> str:
    """The environment variable of a setting: ``READER_<NAME>``."""
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
    if setting.name == "ALLOWED_ORIGINS" and isinstance(raw, list | tuple):
        return ",".join(raw)
    return str(raw)


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None):
    """Return the settings as a plain dict, in the documented load order, defaults filled in."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    known = {env_name(s) for s in SETTINGS}
    unknown = sorted(k for k in environ if k.startswith(ENV_PREFIX) and k not in known)
    if unknown:
        raise ConfigError(f"Unknown setting {unknown[0]}: see card_mock/reader/config.py.")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(env_name(setting), setting.default)
        values[setting.name] = _coerce(setting, overrides.pop(setting.name, raw))
    values.update(overrides)  # framework keys pass through
    instance = PROJECT_ROOT / "instance"
    values["INSTANCE_PATH"] = values["INSTANCE_PATH"] or str(instance / "card-reader")
    issuer = values["ISSUER_INSTANCE_PATH"] or str(instance / "card-issuer")
    values["ISSUER_INSTANCE_PATH"] = issuer
    values["TOKEN_FOLDER"] = values["TOKEN_FOLDER"] or str(Path(issuer) / "cards")
    values["ALLOWED_ORIGINS"] = parse_origins(values["ALLOWED_ORIGINS"])
    return values


def parse_origins(text: str) -> tuple[str, ...]:
    """The allowed origins, each exactly ``scheme://host[:port]`` (RFC 6454 §6.1 serialised)."""
    origins = tuple(part.strip() for part in text.replace(" ", ",").split(",") if part.strip())
    for origin in origins:
        parts = urlsplit(origin)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or origin != (f"{parts.scheme}://{parts.netloc}")
        ):
            raise ConfigError(
                f"READER_ALLOWED_ORIGINS: {origin!r} is not an origin like https://host[:port]."
            )
    return origins


def check(values: dict) -> None:
    """Fail fast on a configuration the bridge must not run with; fill the demo secrets."""
    if not values["ALLOWED_ORIGINS"]:
        raise ConfigError("READER_ALLOWED_ORIGINS is empty: no broker could use the bridge.")
    if values["ISSUER_URL"].endswith("/"):
        raise ConfigError("READER_ISSUER_URL must not end with a slash.")
    for name in ("ISSUER_TIMEOUT_SECONDS", "RESET_CODE_TRIES"):
        if values[name] < 1:
            raise ConfigError(f"READER_{name} must be at least 1.")
    if not values["SECRET_KEY"]:
        if values["DEBUG"]:
            values["SECRET_KEY"] = demo_secret(Path(values["INSTANCE_PATH"]), "SECRET_KEY")
        elif values["TESTING"]:
            values["SECRET_KEY"] = secrets.token_urlsafe(32)
        else:
            raise ConfigError(
                "The card reader will not start: READER_SECRET_KEY is not set. Set it in the "
                "environment, or run with READER_DEBUG=1 (`--demo`) for a local demo."
            )
    if not (values["VERIFIER_KEY"] or values["DEBUG"] or values["TESTING"]):
        raise ConfigError(
            "The card reader will not start: READER_VERIFIER_KEY (its API key at the card "
            "authority, for reset codes) is not set."
        )


def verifier_key(values: Mapping[str, Any]) -> str | None:
    """The API key at the authority; in debug the demo issuer's, read when it is needed.

    Read late on purpose: in the demo the issuer may write its secrets after the bridge starts.
    """
    if values["VERIFIER_KEY"]:
        return values["VERIFIER_KEY"]
    if not values["DEBUG"]:
        return None
    path = Path(values["ISSUER_INSTANCE_PATH"]) / DEMO_SECRETS
    try:
        return json.loads(path.read_text()).get(ISSUER_DEMO_READER_KEY)
    except (OSError, ValueError):
        return None


def demo_secret(instance: Path, name: str) -> str:
    """Generate a demo secret of the bridge once and keep it (0600), so it survives a restart."""
    path = instance / DEMO_SECRETS
    stored = json.loads(path.read_text()) if path.exists() else {}
    if name not in stored:
        stored[name] = secrets.token_urlsafe(32)
        instance.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch(mode=0o600)
        path.write_text(json.dumps(stored, indent=2))
    return stored[name]
