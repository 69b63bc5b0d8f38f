"""Routes every method shares: start, continue, and the three ways a login ends."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import redirect
from flask import request

from ..audit import events
from ..errors import render_error
from ..interaction import service
from ..interaction import store
from .base import AuthnCancelled
from .base import AuthnFailed
from .base import AuthnResult
from .registry import methods

bp = Blueprint("methods", __name__, url_prefix="/interaction/<uid>/method/<name>")


@bp.get("/")
def begin(uid: str, name: str):
    return _run(uid, name, lambda method, context: method.begin(context))


@bp.route("/continue", methods=["GET", "POST"])
def resume(uid: str, name: str):
    return _run(uid, name, lambda method, context: method.resume(context, request))


def _run(uid: str, name: str, step):
    ia = store.load(uid)
    method = methods().get(name)
    if method is None:
        abort(404)
    context = service.login_context(ia)
    if method.level < context.acr_floor:
        abort(404)  # not offered for this login: the method choice never links it
    try:
        outcome = step(method, context)
    except AuthnCancelled:
        events.emit(events.LOGIN_CANCELLED, method=name, client_id=ia.client_id)
        return redirect(f"{store.path(uid)}?notice=cancelled", 303)
    except AuthnFailed as failure:
        events.emit(events.LOGIN_FAILED, method=name, client_id=ia.client_id, code=failure.code)
        return render_error(failure.code, failure.message, 400)
    if isinstance(outcome, AuthnResult):
        return service.complete_login(ia, outcome)
    return outcome
