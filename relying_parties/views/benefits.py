"""The Benefits Office's application pages (the fixed route contract with policy_sim)."""

from __future__ import annotations

import secrets

from flask import Blueprint
from flask import redirect
from flask import request

from .. import benefits
from ..errors import NotLoggedIn
from ..errors import PageError
from ..pages import current_login
from ..pages import current_service
from ..pages import render_page

bp = Blueprint("benefits", __name__)


def _held() -> dict:
    held = current_login()
    if held is None:
        raise NotLoggedIn()
    return held


def _render_status(application):
    progress = benefits.status_of(application, current_service().decision_seconds)
    return render_page("application_status.html", application=application, progress=progress)


@bp.get("/application")
def application_form():
    """The form, or the person's existing application."""
    existing = benefits.find(_held()["sub"])
    if existing is not None:
        return _render_status(existing)
    return render_page("application_form.html", idempotency_key=secrets.token_urlsafe(24))


@bp.post("/application")
def submit_application():
    """Create the one application (or find it), then 303 to its status page."""
    held = _held()
    released = held.get("released") or {}
    name = released.get("name") or " ".join(
        filter(None, (released.get("given_name"), released.get("family_name")))
    )
    try:
        benefits.apply(held["sub"], request.form.get("idempotency_key", ""), name)
    except benefits.BadIdempotencyKey as error:
        raise PageError("bad_idempotency_key", str(error)) from None
    return redirect("/application/status", 303)


@bp.get("/application/status")
def application_status():
    application = benefits.find(_held()["sub"])
    if application is None:
        return redirect("/application", 303)
    return _render_status(application)
