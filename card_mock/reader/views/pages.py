"""The bridge's index of cards, its health check and the status API for broker pages."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify

from ..web import card_reader
from ..web import render_page
from ..webeid import APP_NAME
from ..webeid import APP_VERSION

bp = Blueprint("pages", __name__)


@bp.get("/")
def index() -> Response:
    """The cards in the reader, their PIN state, and where to change or unblock a PIN."""
    return render_page("index.html", cards=card_reader().cards())


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers."""
    return jsonify(status="ok")


@bp.get("/api/status")  # Flask answers the OPTIONS preflight itself
def status() -> Response:
    """What a broker page asks before it opens the sign page (CORS: web.cors_headers)."""
    usable = sum(1 for card in card_reader().cards() if card.usable)
    return jsonify(app=APP_NAME, version=APP_VERSION, cards=usable)
