"""What every `silta` command shares: the broker app, built once, when a command needs it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from typing import ParamSpec
from typing import TypeVar

import click
from flask import Flask

from ..config import ConfigError

P = ParamSpec("P")
R = TypeVar("R")


class AppContext:
    """Builds the app once, on first use, so `silta --help` needs no configuration."""

    def __init__(self, overrides: dict[str, Any] | None = None) -> None:
        self.overrides: dict[str, Any] = overrides or {}
        self._app: Flask | None = None

    def close(self) -> None:
        """Hand back pooled database connections when the command ends."""
        if self._app is not None:
            from ..extensions import db

            with self._app.app_context():
                db.engine.dispose()

    @property
    def app(self) -> Flask:
        if self._app is None:
            from .. import create_app

            try:
                self._app = create_app(self.overrides)
            except ConfigError as error:
                raise click.ClickException(str(error)) from None
        return self._app


def with_app(function: Callable[P, R]) -> Callable[P, R]:
    """Run a command inside the broker's application context."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        context = click.get_current_context().find_object(AppContext)
        if context is None:  # pragma: no cover - every command runs under `main`
            raise click.UsageError("This command runs under `silta`.")
        with context.app.app_context():
            return function(*args, **kwargs)

    return wrapper
