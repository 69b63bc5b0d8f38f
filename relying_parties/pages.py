"""Rendering a service's pages: its names, the chosen language, the login it holds, its CSP."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from flask import Response
from flask import current_app
from flask import make_response
from flask import render_template
from flask import session

from . import i18n
from .services import Service
from .services import level
from .sessions import LOGIN


def current_service() -> Service:
    """The service this process is."""
    return current_app.config["SERVICE_SETTINGS"]


def current_login() -> dict | None:
    """The broker login this browser holds here, if any."""
    return session.get(LOGIN)


def content_security_policy() -> str:
    """No scripts, no framing, no foreign styles; forms post here or lead on to the broker."""
    # CSP3 §6.3.1: form-action also governs redirects after a post, and a post here may lead
    # on to the broker (a step-up login, a logout).
    broker = urlsplit(current_app.config["BROKER_URL"])
    return (
        "default-src 'none'; style-src 'self'; img-src 'self'; "
        f"form-action 'self' {broker.scheme}://{broker.netloc}; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def format_time(seconds: int | None) -> str:
    """A Unix time as readable UTC, the same in every language."""
    if not isinstance(seconds, int | float):
        return "—"
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def render_page(template: str, *, status: int = 200, **context) -> Response:
    """A page in the citizen's language, with the service's names and its login."""
    locale = i18n.select_locale()
    body = render_template(
        template,
        locale=locale,
        t=i18n.translator(locale),
        languages=i18n.LANGUAGE_NAMES,
        service=current_service(),
        login=current_login(),
        format_time=format_time,
        level=level,
        **context,
    )
    return make_response(body, status)
