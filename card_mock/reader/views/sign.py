"""The signing page a broker opens in a popup, and the page that hands the result back.

``GET /sign?origin=…&challenge=…&lang=…`` (the contract): the origin must be exactly one of
READER_ALLOWED_ORIGINS and the challenge the base64 of 32 bytes, checked again on every POST,
before anything else. The result goes to the opener with ``postMessage`` addressed to that
origin only (reader.js), never to "*".
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request

from ..errors import CardLocked
from ..errors import NoCard
from ..errors import WrongPin
from ..forms import CancelForm
from ..forms import SignForm
from ..forms import error_list
from ..web import card_reader
from ..web import render_page
from ..webeid import check_challenge
from ..webeid import check_origin

bp = Blueprint("sign", __name__)
log = logging.getLogger("card_mock.reader.sign")

TOKEN, CANCELLED, ERROR = "silta-reader:token", "silta-reader:cancelled", "silta-reader:error"


def checked_request(values: Mapping[str, str]) -> tuple[str, str]:
    """The origin and challenge of a request, or OriginNotAllowed / BadChallenge."""
    origin = check_origin(values.get("origin"), current_app.config["ALLOWED_ORIGINS"])
    return origin, check_challenge(values.get("challenge"))


def hand_back(origin: str, message: dict, *, status: int = 200, **context) -> Response:
    """The page that posts `message` to the opener at `origin` (and explains it)."""
    return render_page(
        "message.html",
        status=status,
        languages_to="pages.index",  # a result is not shown twice
        origin=origin,
        message=message,
        **context,
    )


def sign_page(origin: str, challenge: str, form: SignForm, *, status: int = 200, **context):
    """The sign form with the cards in the reader, or the no-card hand-back if there is none."""
    cards = card_reader().cards()
    if not cards:
        return hand_back(origin, {"type": ERROR, "code": "no_card"}, kind="no_card", status=404)
    if form.card.data is None:
        form.card.data = next((c.serial for c in cards if c.usable), cards[0].serial)
    query = {"origin": origin, "challenge": challenge}
    return render_page(
        "sign.html",
        status=status,
        query=query,
        form=form,
        cancel_form=CancelForm(formdata=None, **query),
        cards=cards,
        origin=origin,
        errors=error_list(form),
        **context,
    )


@bp.get("/sign")
def show() -> Response:
    """Who asks, which card, tries left, the PIN field."""
    origin, challenge = checked_request(request.args)
    return sign_page(origin, challenge, SignForm(formdata=None, origin=origin, challenge=challenge))


@bp.post("/sign")
def sign() -> Response:
    """Sign the challenge for the origin with the chosen card and its PIN."""
    form = SignForm()
    origin, challenge = checked_request(form.data)
    if not form.validate():
        return sign_page(origin, challenge, form, status=400)
    try:
        token = card_reader().sign(form.card.data, form.pin.data, origin, challenge, _no_step)
    except WrongPin as wrong:
        problem = ("pin", wrong.message)
        return sign_page(origin, challenge, form, status=400, problem=problem)
    except CardLocked:
        locked = {"type": ERROR, "code": "card_locked"}
        return hand_back(origin, locked, kind="locked", status=409)
    except NoCard:
        return hand_back(origin, {"type": ERROR, "code": "no_card"}, kind="no_card", status=404)
    log.info("card.signed serial=%s origin=%s", form.card.data, origin)
    return hand_back(origin, {"type": TOKEN, "token": token}, kind="token", close=True)


@bp.post("/sign/cancel")
def cancel() -> Response:
    """The citizen cancels: the opener learns it, nothing is signed."""
    form = CancelForm()
    origin, _challenge = checked_request(form.data)
    return hand_back(origin, {"type": CANCELLED}, kind="cancelled", close=True)


def _no_step(_name: str) -> None:
    """No checkpoint while serving (the crash tests pass their own)."""
