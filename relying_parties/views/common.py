"""Pages every service has: the start page, the `sub` explainer, health."""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import jsonify

from ..pages import current_login
from ..pages import current_service
from ..pages import render_page

bp = Blueprint("common", __name__)


@bp.get("/")
def home():
    """Before login: what the service is and what it needs. After: what it received, and why."""
    return render_page("home.html")


@bp.get("/about-sub")
def about_sub():
    """The `sub` this service recorded for this browser, and links to the same page elsewhere."""
    return render_page("about_sub.html", peers=current_app.config["PEERS"])


@bp.get("/healthz")
def healthz():
    service = current_service()
    return jsonify(status="ok", service=service.id, logged_in=current_login() is not None)
