"""Demo-only pages: everyone's current key code, and the bank-wide scenario switch."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import jsonify
from flask import request

from .. import scenarios
from .. import totp
from ..extensions import db
from ..models import Customer
from ..pages import render_page

bp = Blueprint("demo", __name__, url_prefix="/demo")


@bp.get("/key-codes")
def key_codes():
    """Every customer's current key code, so a demo audience can log in."""
    if not current_app.config["DEMO_PAGES"]:
        abort(404)
    customers = db.session.execute(db.select(Customer).order_by(Customer.customer_number))
    rows = [(c, totp.code_at(c.totp_secret)) for c in customers.scalars()]
    return render_page("key_codes.html", rows=rows, seconds_left=totp.seconds_left())


@bp.post("/scenario")
def scenario():
    """Switch the bank-wide scenario (form field `scenario`; empty clears it)."""
    config = current_app.config
    if not (config["DEMO_PAGES"] or config["TESTING"]):
        abort(404)
    name = request.form.get("scenario", "").strip()
    if name and name not in scenarios.SCENARIOS:
        return jsonify(error="unknown_scenario", scenarios=sorted(scenarios.SCENARIOS)), 400
    current_app.extensions["bank.scenario"].switch(name or None)
    return jsonify(scenario=name or None)
