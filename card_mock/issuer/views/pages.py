"""The citizen's pages: the front page and the lost-card report."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request

from silta_common.web import render_page

from .. import cards
from .. import ratelimit
from ..errors import RateLimited
from ..forms import LostCardForm
from ..models import LOST

bp = Blueprint("pages", __name__)


@bp.get("/")
def index() -> Response:
    """What this authority is, and where to go."""
    return render_page("index.html")


@bp.route("/lost", methods=["GET", "POST"])
def lost() -> Response:
    """Report a card lost: the card number and the holder's HETU must match; revoked at once."""
    form = LostCardForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_page("lost.html", form=form, status=status)
    limit = current_app.config["FORM_RATE_LIMIT_PER_MINUTE"]
    if not ratelimit.allow("lost", request.remote_addr or "unknown", limit):
        raise RateLimited()
    card = cards.card_of_holder(form.serial.data, form.national_id.data.strip().upper())
    if card is None:
        return render_page("lost.html", form=form, no_match=True, status=400)
    cards.revoke(card.serial, LOST)
    return render_page("lost_done.html")
