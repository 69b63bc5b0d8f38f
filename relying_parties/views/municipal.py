"""Municipal resident services: the registered address and its step-up."""

from __future__ import annotations

from flask import Blueprint
from flask import redirect
from flask import request

from .. import municipal
from ..client import BrokerUnavailable
from ..errors import NotLoggedIn
from ..errors import Unavailable
from ..pages import current_login
from ..pages import render_page

bp = Blueprint("municipal", __name__)


def _held() -> dict:
    held = current_login()
    if held is None:
        raise NotLoggedIn()
    return held


@bp.get("/address")
def address():
    """The registered address; the change form only at high assurance."""
    held = _held()
    return render_page(
        "address.html",
        current=municipal.registered_address(held["sub"]),
        may_change=municipal.may_change_address(held),
        form=None,
        errors={},
    )


@bp.post("/step-up")
def step_up():
    """Start the step-up login (302 to the broker, asking for high assurance)."""
    try:
        return redirect(municipal.start_step_up(), 302)
    except BrokerUnavailable as error:
        raise Unavailable(detail=str(error)) from None


@bp.post("/address")
def change_address():
    """Change the address, only at high assurance; otherwise go through the step-up first."""
    held = _held()
    if not municipal.may_change_address(held):
        return redirect("/address", 303)  # the page offers the step-up; nothing is changed
    form = municipal.AddressForm(
        *(request.form.get(f, "").strip() for f in ("street", "postal_code", "city"))
    )
    errors = form.errors()
    if errors:
        page = render_page(
            "address.html",
            current=municipal.registered_address(held["sub"]),
            may_change=True,
            form=form,
            errors=errors,
            status=400,
        )
        return page
    municipal.change_address(held, form)
    return redirect("/address?changed=1", 303)
