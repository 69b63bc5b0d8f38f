"""Where Silta replaces a framework internal, each for the cost it saves on every request.

Each override names the pinned version whose code it relies on, and
tests/unit/test_framework_overrides.py fails when that version's behaviour changes: read the
new upstream code before raising a pin.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask import current_app
from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf import csrf as flask_wtf_csrf
from itsdangerous import URLSafeTimedSerializer


class Broker(Flask):
    """Flask (3.1.3), asking whether a hook is a coroutine function once per code object.

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
    """Flask's (3.1.3) signed cookie (the UI language, the CSRF token), with its signer built
    once per key set instead of once per request."""

    _cached: tuple[Any, URLSafeTimedSerializer | None] = (None, None)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached_keys, serializer = self._cached
        if cached_keys != keys:
            serializer = super().get_signing_serializer(app)
            self._cached = (keys, serializer)
        return serializer


class CSRFProtect(flask_wtf_csrf.CSRFProtect):
    """Flask-WTF's (1.3.0) protection, answering safe methods before its exemption look-up.

    Flask-WTF looks up the view's exemption (a string built from the view's module and name)
    before it asks whether the method needs a token at all; GET and HEAD never do, and they
    are most of the requests, single sign-on's `/authorize` and `/userinfo` among them.
    """

    def protect(self, apply_exemptions: bool = False) -> None:
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        super().protect(apply_exemptions)
