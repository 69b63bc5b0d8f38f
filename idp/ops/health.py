"""Liveness (``/healthz``) and readiness (``/readyz``) for load balancers and operators.

``/healthz`` answers as long as the process serves requests, and touches nothing else, so a
database outage never makes an orchestrator kill healthy nodes. ``/readyz`` asks the database one
cheap statement (503 when it cannot answer: take the node out of rotation) and reports each
login method's health; a method that is down leaves the node ready, because the others work.
"""

from __future__ import annotations

import logging

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from sqlalchemy.exc import SQLAlchemyError

from ..storage import transaction

bp = Blueprint("health", __name__)
log = logging.getLogger("silta.health")


@bp.get("/healthz")
def healthz() -> Response:
    return _uncached(jsonify(status="ok"), 200)


@bp.get("/readyz")
def readyz() -> Response:
    database = check_database()
    methods = {
        method.name: "up" if method.healthy() else "down"
        for method in current_app.extensions["silta.methods"].all()
    }
    body = jsonify(
        status="ready" if database else "unavailable",
        database="ok" if database else "unavailable",
        methods=methods,
    )
    return _uncached(body, 200 if database else 503)


def check_database() -> bool:
    """One round trip to the database; False (and the session rolled back) if it fails."""
    try:
        transaction.ping()
        return True
    except SQLAlchemyError as error:
        transaction.rollback()
        log.warning("database.unavailable", extra={"error": error.__class__.__name__})
        return False


def _uncached(response: Response, status: int) -> Response:
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
