"""The PIN-reset desk: an official logs in and authorises a reset; the citizen gets a code.

This module alone reads and writes the desk's keys in the browser cookie.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint
from flask import current_app
from flask import redirect
from flask import request
from flask import session as browser_cookie
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from silta_common.web import render_page

from .. import cards
from .. import ratelimit
from .. import reset_codes
from ..errors import RateLimited
from ..forms import DeskLoginForm
from ..forms import LogoutForm
from ..forms import ResetAuthoriseForm
from ..models import now
from ..officials import Official
from ..officials import check_login

bp = Blueprint("desk", __name__, url_prefix="/desk")
log = logging.getLogger("card_mock.issuer.desk")
OFFICIAL, UNTIL = "desk_official", "desk_until"
UNKNOWN_CARD = _l("No card has this number.")


def current_official() -> Official | None:
    """The official logged in at this browser, while the desk login lasts."""
    official_id, until = browser_cookie.get(OFFICIAL), browser_cookie.get(UNTIL, 0)
    if official_id is None or until < now():
        return None
    return current_app.extensions["card.officials"].get(official_id)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The official's login form."""
    form = DeskLoginForm()
    if not form.validate_on_submit():
        return render_page("desk_login.html", form=form, status=400 if form.is_submitted() else 200)
    limit = current_app.config["FORM_RATE_LIMIT_PER_MINUTE"]
    if not ratelimit.allow("desk", request.remote_addr or "unknown", limit):
        raise RateLimited()
    officials = current_app.extensions["card.officials"]
    official = check_login(officials, form.official_id.data, form.password.data)
    if official is None:
        log.info("desk.login_failed official=%s", form.official_id.data[:64])
        return render_page("desk_login.html", form=form, failed=True, status=401)
    browser_cookie.clear()  # a fresh cookie at login: no fixation
    browser_cookie[OFFICIAL] = official.id
    browser_cookie[UNTIL] = now() + 60 * current_app.config["DESK_SESSION_MINUTES"]
    log.info("desk.logged_in official=%s", official.id)
    return redirect(url_for("desk.home"))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the desk login."""
    LogoutForm().validate_on_submit()  # CSRF checked by CSRFProtect before this view
    browser_cookie.pop(OFFICIAL, None)
    browser_cookie.pop(UNTIL, None)
    return redirect(url_for("desk.login"))


@bp.route("/", methods=["GET", "POST"])
def home() -> ResponseReturnValue:
    """Authorise a reset for a card after checking its holder in person; show the code once."""
    official = current_official()
    if official is None:
        return redirect(url_for("desk.login"))
    form = ResetAuthoriseForm()
    context: dict[str, Any] = dict(official=official, logout_form=LogoutForm())
    if not form.validate_on_submit():
        return render_page(
            "desk.html", form=form, status=400 if form.is_submitted() else 200, **context
        )
    card = cards.load_card(form.card_serial.data)
    if card is None:
        return render_page("desk.html", form=form, problem=UNKNOWN_CARD, status=404, **context)
    hours = current_app.config["RESET_CODE_HOURS"]
    try:
        code = reset_codes.authorise(card, official.id, hours)
    except reset_codes.ResetRefused as refused:
        return render_page("desk.html", form=form, refused=str(refused), status=409, **context)
    return render_page("desk_code.html", code=code, serial=card.serial, hours=hours, **context)
