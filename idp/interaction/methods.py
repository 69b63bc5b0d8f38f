"""The routes every method shares: start, continue, and the three ways a login ends.

They belong to the interaction, which drives a method through its contract
(authenticators/base.py); a method never knows the interaction's screens.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint
from flask import abort
from flask import redirect
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from ..audit import events
from ..authenticators.base import Authenticator
from ..authenticators.base import AuthnCancelled
from ..authenticators.base import AuthnFailed
from ..authenticators.base import AuthnResult
from ..authenticators.base import LoginContext
from ..authenticators.registry import methods
from ..errors import render_error
from . import service
from . import store

Step = Callable[[Authenticator, LoginContext], Response | AuthnResult]
bp = Blueprint("methods", __name__, url_prefix="/interaction/<uid>/method/<name>")
callbacks = Blueprint("method_callbacks", __name__)
STALE_ANSWER = _l(
    "This answer does not belong to a login in progress. Return to the service and start again."
)


@bp.get("/")
def begin(uid: str, name: str) -> ResponseReturnValue:
    return _run(uid, name, lambda method, context: method.begin(context))


@bp.route("/continue", methods=["GET", "POST"])
def resume(uid: str, name: str) -> ResponseReturnValue:
    return _run(uid, name, lambda method, context: method.resume(context, request))


@callbacks.get("/method/<name>/callback")
def callback(name: str) -> ResponseReturnValue:
    """A provider's fixed redirect URI: hand the answer to the interaction it belongs to.

    The interaction's binding cookie is scoped to its own path, so the answer continues there,
    where the cookie proves it is the same browser.
    """
    method = methods().get(name)
    uid = method.interaction_for(request) if method is not None else None
    if uid is None:
        page: ResponseReturnValue = render_error("unknown_login", str(STALE_ANSWER), 400)
        return page
    next_url = f"{store.path(uid)}/method/{name}/continue?{request.query_string.decode()}"
    if request.headers.get("Sec-Fetch-Site") in ("same-site", "cross-site"):
        # The browser comes straight from the provider's form (the bank's "pass your data"
        # POST; same-site when both share a host, as in the demo). Browsers check that form's
        # CSP form-action against every redirect of the navigation it started (CSP 3 §6.4.1),
        # and the login may end at the service's origin, which the provider never named. A
        # page of our own ends that navigation; the next one starts here.
        return render_template("continue.html", next_url=next_url)
    return redirect(next_url, 303)


def _run(uid: str, name: str, step: Step) -> ResponseReturnValue:
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
        page: ResponseReturnValue = render_error(failure.code, failure.message, 400)
        return page
    if isinstance(outcome, AuthnResult):
        return service.complete_login(ia, outcome)
    return outcome
