"""The citizen's own PIN pages: change the PIN, and unblock a card with a desk's reset code."""

from __future__ import annotations

from flask import Blueprint
from flask import Response

from ..errors import CardLocked
from ..errors import InvalidResetCode
from ..errors import IssuerUnavailable
from ..errors import NoCard
from ..errors import WrongPin
from ..forms import ChangePinForm
from ..forms import UnblockForm
from ..forms import error_list
from ..web import card_reader
from ..web import redeemer
from ..web import render_page

bp = Blueprint("pin", __name__, url_prefix="/pin")


def form_page(template: str, form, *, status: int = 200, **context) -> Response:
    """A PIN form with the cards to choose from and its errors listed at the top."""
    cards = card_reader().cards()
    if form.card.data is None and cards:
        form.card.data = cards[0].serial
    return render_page(
        template, status=status, form=form, cards=cards, errors=error_list(form), **context
    )


@bp.route("/change", methods=["GET", "POST"])
def change() -> Response:
    """The current PIN once (a counted try, as at sign-in), the new PIN twice."""
    form = ChangePinForm()
    if not form.validate_on_submit():
        return form_page("pin_change.html", form, status=400 if form.is_submitted() else 200)
    try:
        card_reader().change_pin(form.card.data, form.old_pin.data, form.new_pin.data, _no_step)
    except WrongPin as wrong:
        problem = ("old_pin", wrong.message)
        return form_page("pin_change.html", form, status=400, problem=problem)
    except CardLocked:
        return render_page("message.html", kind="locked", origin=None, status=409)
    except NoCard:
        problem = ("card", NoCard.message)
        return form_page("pin_change.html", form, status=404, problem=problem)
    return render_page("message.html", kind="changed", origin=None)


@bp.route("/unblock", methods=["GET", "POST"])
def unblock() -> Response:
    """The desk's one-time reset code, the new PIN twice; the authority checks the code."""
    form = UnblockForm()
    if not form.validate_on_submit():
        return form_page("pin_unblock.html", form, status=400 if form.is_submitted() else 200)
    try:
        card_reader().unblock(
            form.card.data, form.code.data, form.new_pin.data, redeemer(), _no_step
        )
    except InvalidResetCode as refused:
        problem = ("code", refused.message)
        return form_page("pin_unblock.html", form, status=400, problem=problem)
    except IssuerUnavailable:
        problem = ("code", IssuerUnavailable.message)
        return form_page("pin_unblock.html", form, status=503, problem=problem)
    except NoCard:
        problem = ("card", NoCard.message)
        return form_page("pin_unblock.html", form, status=404, problem=problem)
    return render_page("message.html", kind="unblocked", origin=None)


def _no_step(_name: str) -> None:
    """No checkpoint while serving (the crash tests pass their own)."""
