"""Where the broker bends Flask for its hot path: the app class and the browser cookie."""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class Broker(Flask):
    """Flask, asking whether a hook is a coroutine function once per code object.

    Flask calls ``ensure_sync`` for every before- and after-request function of every request
    (seven on the hot path), and ``inspect.iscoroutinefunction`` unwraps each one anew. For a
    plain function the answer is in its code object's flags; anything else is Flask's to
    decide.
    """

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if (
            type(func) is types.FunctionType
            and not func.__code__.co_flags & inspect.CO_COROUTINE
            and getattr(func, "_is_coroutine_marker", None) is None  # inspect.markcoroutinefunction
        ):
            return func
        return super().ensure_sync(func)


class BrowserCookieInterface(SecureCookieSessionInterface):
    """Flask's signed cookie (the UI language, the CSRF token), with its signer built once per
    key set instead of once per request."""

    _cached: tuple[object, URLSafeTimedSerializer | None] = (None, None)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached_keys, serializer = self._cached
        if cached_keys != keys:
            serializer = super().get_signing_serializer(app)
            self._cached = (keys, serializer)
        return serializer
