"""Rendering a service's pages: its names, the chosen language, the login it holds, its CSP."""

from __future__ import annotations

import datetime
from typing import Any

from flask import Response
from flask import current_app
from flask import session

from silta_common import web

from .services import Service
from .sessions import LOGIN


def current_service() -> Service:
    """The service this process is."""
    service: Service = current_app.config["SERVICE_SETTINGS"]
    return service


def current_login() -> dict[str, Any] | None:
    """The broker login this browser holds here, if any."""
    held: dict[str, Any] | None = session.get(LOGIN)
    return held


def content_security_policy(broker_url: str) -> str:
    """No scripts, no framing, no foreign styles; forms post here or lead on to the broker."""
    # CSP3 §6.3.1: form-action also governs redirects after a post, and a post here may lead
    # on to the broker (a step-up login, a logout).
    return web.page_policy(form_action=[web.origin_of(broker_url)])


def format_time(seconds: int | None) -> str:
    """A Unix time as readable UTC, the same in every language."""
    if not isinstance(seconds, int | float):
        return "—"
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def page_context() -> dict[str, Any]:
    """What every page of a service knows: the service, the login it holds, its formats."""
    return {"service": current_service(), "login": current_login(), "format_time": format_time}


def render_page(template: str, *, status: int = 200, **context: Any) -> Response:
    """A page in the citizen's language, with the service's names and its login."""
    return web.render_page(template, status=status, **context)
