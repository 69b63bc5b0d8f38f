"""Every setting of a demo service process, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``RP_<NAME>`` → the
mapping passed to ``create_app(config)``. What a service *is* lives in its settings file
(services.py); this module says where it runs. Outside debug and testing a service refuses to
start without ``RP_SECRET_KEY`` or its broker credentials, and says so. Flask and Flask-WTF
keys in the mapping (e.g. ``WTF_CSRF_ENABLED``) pass through untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from silta_common.settings import ConfigError
from silta_common.settings import Setting
from silta_common.settings import Settings

from . import services
from .services import SettingsError

ENV_PREFIX = "RP_"
PACKAGE_ROOT = Path(__file__).resolve().parent
__all__ = ["SETTINGS", "ConfigError", "check", "load"]

SETTINGS: tuple[Setting, ...] = (
    Setting("SERVICE", "", "Which service this process is: tax, benefits, municipal or library."),
    Setting("BROKER_URL", "http://127.0.0.1:8400", "The broker's issuer identifier. No slash."),
    Setting("BASE_URL", "", "This service's own origin; empty means http://127.0.0.1:<PORT>."),
    Setting("PORT", 0, "Port `silta-rp run` listens on; 0 means the service's demo port."),
    Setting("HOST", "127.0.0.1", "Address `silta-rp run` listens on."),
    Setting("INSTANCE_PATH", "", "Folder for keys, secret and database; empty: instance/rp-<id>/."),
    Setting("DATABASE_URL", "", "SQLAlchemy URL; empty means SQLite in the instance folder."),
    Setting(
        "SECRET_KEY", "", "Signs the CSRF tokens of the service's forms. Required.", secret=True
    ),
    Setting("DEBUG", False, "Demo mode: a missing SECRET_KEY and broker credentials are made."),
    Setting("TESTING", False, "Set by the test suite only."),
    Setting("HTTP_TIMEOUT", 5.0, "Seconds any call to the broker may take."),
    Setting("SESSION_LIFETIME", 3600, "Seconds a browser session lives after its last change."),
    Setting("PEER_URLS", "", "Other services for the `sub` page: `tax=http://…,library=…`."),
)


SERVICE = Settings(SETTINGS, ENV_PREFIX, application="The service", docs="docs/configuration.md")


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the settings as a plain dict, in the documented load order, defaults filled in."""
    values = SERVICE.load(overrides, environ)  # framework keys pass through untouched
    try:
        service = services.load(values["SERVICE"])
    except SettingsError as error:
        raise ConfigError(str(error)) from None
    values["SERVICE_SETTINGS"] = service
    values["PORT"] = values["PORT"] or service.port
    values["BASE_URL"] = values["BASE_URL"] or f"http://127.0.0.1:{values['PORT']}"
    values["INSTANCE_PATH"] = values["INSTANCE_PATH"] or str(
        PACKAGE_ROOT.parent / "instance" / f"rp-{service.id}"
    )
    values["PEERS"] = peers(values["PEER_URLS"], service.id)
    return values


def peers(raw: str, own: str) -> dict[str, str]:
    """The other services' origins: the demo ports unless PEER_URLS names them."""
    found = {s: f"http://127.0.0.1:{services.load(s).port}" for s in services.SERVICES}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        name, _, url = item.partition("=")
        if name not in found or not url.startswith(("http://", "https://")):
            raise ConfigError(f"RP_PEER_URLS: {item!r} is not `<service>=<http(s) URL>`.")
        found[name] = url.rstrip("/")
    found.pop(own, None)
    return found


def check_urls(values: dict[str, Any]) -> None:
    """Both origins must be absolute http(s) URLs without a trailing slash."""
    for name in ("BROKER_URL", "BASE_URL"):
        if values[name].endswith("/") or not values[name].startswith(("http://", "https://")):
            raise ConfigError(f"RP_{name} must be an http(s) URL without a trailing slash.")


def check(values: dict[str, Any]) -> None:
    """Fail fast on a configuration a service must not run with; fill the secret in demo."""
    check_urls(values)
    if values["HTTP_TIMEOUT"] <= 0 or values["SESSION_LIFETIME"] < 60:
        raise ConfigError("RP_HTTP_TIMEOUT must be positive and RP_SESSION_LIFETIME ≥ 60.")
    SERVICE.check_secrets(values, Path(values["INSTANCE_PATH"]))
