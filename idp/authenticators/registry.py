"""The registered methods. The rest of the broker reaches methods only through here."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from flask import current_app

from .base import Authenticator

if TYPE_CHECKING:
    from .bank.keys import FederationKeys
    from .bank.method import BankConfig


class Registry:
    def __init__(self) -> None:
        self._methods: dict[str, Authenticator] = {}

    def register(self, method: Authenticator) -> None:
        if method.name in self._methods:
            raise ValueError(f"method {method.name!r} registered twice")
        self._methods[method.name] = method

    def get(self, name: str) -> Authenticator | None:
        return self._methods.get(name)

    def all(self) -> list[Authenticator]:
        return list(self._methods.values())

    def meeting(self, acr_floor: int) -> list[Authenticator]:
        """Methods that reach the level asked for, healthy or not."""
        return [m for m in self._methods.values() if m.level >= acr_floor]


def init_app(app: Flask) -> None:
    registry = Registry()
    if app.config["DEV_AUTHENTICATOR"]:
        from .dev import DevAuthenticator  # imported only when the test suite asks for it

        registry.register(DevAuthenticator(app))
    if app.config["BANKS_FILE"]:
        from .bank.method import BankAuthenticator

        keys = _federation_keys(app)
        for bank in load_banks(Path(app.config["BANKS_FILE"])):
            registry.register(
                BankAuthenticator(
                    bank,
                    keys,
                    app.config["UPSTREAM_TIMEOUT"],
                    app.config["UPSTREAM_HEALTH_INTERVAL"],
                )
            )
    if app.config["CARD_ISSUER_URL"]:
        registry.register(_card_method(app))
    app.extensions["silta.methods"] = registry


def _card_method(app: Flask) -> Authenticator:
    """The ID-card method; a card setting that is missing or broken stops start-up."""
    from ..config import ConfigError
    from .ic_card.authority import CardAuthority
    from .ic_card.method import CardAuthenticator
    from .ic_card.method import CardConfigError
    from .ic_card.method import CardSettings

    config = app.config
    try:
        settings = CardSettings.from_config(config)
    except CardConfigError as error:
        raise ConfigError(f"Silta will not start: {error}") from None
    authority = CardAuthority(
        settings.issuer_url,
        config["CARD_VERIFIER_ID"],
        config["CARD_VERIFIER_SECRET"],
        settings.timeout,
        config["CARD_HEALTH_INTERVAL"],
    )
    return CardAuthenticator(settings, authority)


def federation_keys_path(app: Flask) -> Path:
    configured = app.config["FEDERATION_KEYS_FILE"]
    return Path(configured) if configured else Path(app.instance_path) / "federation-keys.json"


def check_federation_keys(app: Flask) -> None:
    """Stop start-up, naming the reason, when the bank federation keys cannot be loaded."""
    from ..config import ConfigError
    from .bank import keys as federation

    try:
        federation.load(federation_keys_path(app))
    except federation.FederationKeyError as error:
        raise ConfigError(f"Silta will not start: {error}") from None


def federation_public_jwks(app: Flask) -> dict:
    """The public JWKS of the broker's keys toward banks, to hand to each bank."""
    from ..config import ConfigError
    from .bank import keys as federation

    try:
        return federation.load(federation_keys_path(app)).public_jwks()
    except federation.FederationKeyError as error:
        raise ConfigError(str(error)) from None


def create_federation_keys(app: Flask, replace: bool) -> bool:
    """Write new federation keys unless some exist (or ``replace``); whether it wrote them."""
    from ..config import ConfigError
    from .bank import keys as federation

    path = federation_keys_path(app)
    try:
        if path.exists() and not replace:
            federation.load(path)  # existing keys must at least load
            return False
        federation.generate(path)
    except federation.FederationKeyError as error:
        raise ConfigError(str(error)) from None
    return True


def _federation_keys(app: Flask):
    """Load the broker's federation keys once; in debug, create them on first use."""
    from .bank import keys as federation

    path = federation_keys_path(app)
    if app.config["DEBUG"] and not path.exists():
        federation.generate(path)
    loaded: list[FederationKeys] = []

    def keys():
        if not loaded:
            loaded.append(federation.load(path))
        return loaded[0]

    return keys


def load_banks(path: Path) -> list:
    """The `[[banks]]` of a TOML file; a broken file stops start-up with the reason."""
    from ..config import ConfigError
    from .bank.method import BankConfig

    try:
        entries = tomllib.loads(path.read_text()).get("banks", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"Cannot read SILTA_BANKS_FILE {path}: {error}") from None
    banks: list[BankConfig] = []
    for number, entry in enumerate(entries, start=1):
        missing = {"id", "name", "issuer", "client_id"} - set(entry)
        if missing or not str(entry.get("id", "")).isidentifier():
            raise ConfigError(
                f"{path}: bank {number} needs id (a simple name), name, issuer and "
                f"client_id; missing or wrong: {', '.join(sorted(missing)) or 'id'}."
            )
        if any(b.id == entry["id"] for b in banks):
            raise ConfigError(f"{path}: bank id {entry['id']!r} appears twice.")
        banks.append(
            BankConfig(
                id=entry["id"],
                name=entry["name"],
                issuer=entry["issuer"].rstrip("/"),
                client_id=entry["client_id"],
            )
        )
    return banks


def methods() -> Registry:
    return current_app.extensions["silta.methods"]
