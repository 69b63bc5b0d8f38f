"""Every setting of the reader bridge, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``READER_<NAME>`` → the
mapping passed to ``create_app(config)``. Outside debug and testing the bridge refuses to start
without ``READER_SECRET_KEY`` and ``READER_VERIFIER_KEY``. Any Flask or Flask-WTF key in the
mapping passes through untouched.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from silta_common.settings import DEMO_SECRETS_FILE
from silta_common.settings import ConfigError
from silta_common.settings import Setting
from silta_common.settings import Settings

ENV_PREFIX = "READER_"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEBIAN_SOFTHSM2 = "/usr/lib/softhsm/libsofthsm2.so"  # `dpkg -L libsofthsm2` (Debian 12)
ISSUER_DEMO_READER_KEY = "READER_API_KEY"  # card_mock/issuer/demo.py writes it in debug
__all__ = ["SETTINGS", "ConfigError", "check", "load", "verifier_key"]

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
    Setting(
        "SECRET_KEY", "", "Signs the browser cookie (CSRF token, language). Required.", secret=True
    ),
    Setting("DEBUG", False, "Demo mode: a missing SECRET_KEY is made, the demo issuer's key read."),
    Setting("TESTING", False, "Set by the test suite only."),
)


READER = Settings(SETTINGS, ENV_PREFIX, application="The card reader", docs="docs/configuration.md")


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the settings as a plain dict, in the documented load order, defaults filled in."""
    overrides = dict(overrides or {})
    if isinstance(overrides.get("ALLOWED_ORIGINS"), list | tuple):  # as tests give them
        overrides["ALLOWED_ORIGINS"] = ",".join(overrides["ALLOWED_ORIGINS"])
    values = READER.load(overrides, environ)  # framework keys pass through
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


def check(values: dict[str, Any]) -> None:
    """Fail fast on a configuration the bridge must not run with; fill the demo secrets."""
    if not values["ALLOWED_ORIGINS"]:
        raise ConfigError("READER_ALLOWED_ORIGINS is empty: no broker could use the bridge.")
    if values["ISSUER_URL"].endswith("/"):
        raise ConfigError("READER_ISSUER_URL must not end with a slash.")
    for name in ("ISSUER_TIMEOUT_SECONDS", "RESET_CODE_TRIES"):
        if values[name] < 1:
            raise ConfigError(f"READER_{name} must be at least 1.")
    READER.check_secrets(values, Path(values["INSTANCE_PATH"]))
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
        return str(values["VERIFIER_KEY"])
    if not values["DEBUG"]:
        return None
    path = Path(values["ISSUER_INSTANCE_PATH"]) / DEMO_SECRETS_FILE
    try:
        key = json.loads(path.read_text()).get(ISSUER_DEMO_READER_KEY)
    except (OSError, ValueError, AttributeError):
        return None
    return key if isinstance(key, str) else None
