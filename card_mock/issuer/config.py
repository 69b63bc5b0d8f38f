"""Every setting of the issuing authority, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``CARD_<NAME>`` → the
mapping passed to ``create_app(config)``. Outside debug and testing the issuer refuses to start
without ``CARD_SECRET_KEY``. Two more keys are read from the mapping only: ``VERIFIERS`` and
``DESK_OFFICIALS``, lists of tables shaped like the files' entries (tests use them instead of
files), and any Flask or Flask-WTF key passes through untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from silta_common.settings import ConfigError
from silta_common.settings import Setting
from silta_common.settings import Settings

from ..token import KEY_ALGORITHMS

ENV_PREFIX = "CARD_"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
DEBIAN_SOFTHSM2 = "/usr/lib/softhsm/libsofthsm2.so"  # `dpkg -L libsofthsm2` (Debian 12)
__all__ = ["SETTINGS", "ConfigError", "check", "load"]

SETTINGS: tuple[Setting, ...] = (
    Setting("ISSUER_URL", "", "Public base URL; empty: http://127.0.0.1:<PORT>. In CDP/AIA URLs."),
    Setting("PORT", 8420, "Port `silta-card issuer run` listens on."),
    Setting("HOST", "127.0.0.1", "Address `silta-card issuer run` listens on."),
    Setting("INSTANCE_PATH", "", "CA keys, register, card tokens; empty: instance/card-issuer/."),
    Setting("DATABASE_URL", "", "SQLAlchemy URL of the register; empty: SQLite in the instance."),
    Setting("PKCS11_MODULE", DEBIAN_SOFTHSM2, "PKCS#11 module holding the cards' tokens."),
    Setting("KEY_ALGORITHM", "EC-P256", "Key type of CAs and cards: EC-P256 or RSA-2048."),
    Setting(
        "SECRET_KEY",
        "",
        "Signs the browser cookie (CSRF token, desk login). Required.",
        secret=True,
    ),
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


ISSUER = Settings(SETTINGS, ENV_PREFIX, application="The card issuer", docs="docs/configuration.md")


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the settings as a plain dict, in the documented load order, defaults filled in."""
    values = ISSUER.load(overrides, environ)  # VERIFIERS, DESK_OFFICIALS and framework keys
    values["ISSUER_URL"] = values["ISSUER_URL"] or f"http://127.0.0.1:{values['PORT']}"
    values["INSTANCE_PATH"] = values["INSTANCE_PATH"] or str(
        PACKAGE_ROOT.parent / "instance" / "card-issuer"
    )
    return values


def check(values: dict[str, Any]) -> None:
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
    ISSUER.check_secrets(values, Path(values["INSTANCE_PATH"]))
