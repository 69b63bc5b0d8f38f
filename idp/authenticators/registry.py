"""The registered methods. The rest of the broker reaches methods only through here."""

from __future__ import annotations

from flask import Flask
from flask import current_app

from .base import Authenticator


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
    app.extensions["silta.methods"] = registry


def methods() -> Registry:
    return current_app.extensions["silta.methods"]
