"""The method choice: the first screen a citizen sees, and where every login returns."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from werkzeug.wrappers import Response

from .. import sessions
from ..authenticators.registry import methods
from ..extensions import db
from ..storage import transaction
from ..storage.models import Client
from ..web.headers import content_security_policy
from . import policy
from . import service
from . import store

bp = Blueprint("interaction", __name__, url_prefix="/interaction")


@bp.get("/<uid>")
def show(uid: str) -> Response:
    ia = store.load(uid)
    asked = store.prompt(ia)
    if asked.name is None:  # handed back: the protocol goes on
        return redirect(store.return_to(ia), 303)
    if asked.name == policy.CONSENT:
        return redirect(f"{store.path(uid)}/consent", 303)
    context = service.login_context(ia)
    # Ask each method once: a background health check may flip it between two asks, and the
    # method would then be listed in neither list (or both).
    offered = methods().meeting(context.acr_floor)
    healthy = {m.name: m.healthy() for m in offered}
    client = db.session.get(Client, ia.client_id) if ia.client_id else None
    response = make_response(
        render_template(
            "method_choice.html",
            ia=ia,
            client=client,
            reason=asked.reason,
            available=[m for m in offered if healthy[m.name]],
            unavailable=[m for m in offered if not healthy[m.name]],
            notice=request.args.get("notice"),
            configured=bool(methods().all()),
        )
    )
    # "Cancel and return to the service" answers with a redirect to the service.
    response.headers["Content-Security-Policy"] = content_security_policy(
        form_action=context.return_origin
    )
    return response


@bp.post("/<uid>/cancel")
def cancel(uid: str) -> Response:
    ia = store.load(uid)
    if ia.client_id is None:  # a login of the citizen's own ("my data"): nobody to tell
        store.claim_finish(ia)
        transaction.commit()
        return redirect("/", 303)
    back = store.deny(ia, "cancelled_at_method_choice")
    transaction.commit()
    return redirect(back, 303)


@bp.post("/<uid>/switch")
def switch_user(uid: str) -> Response:
    """Log out of the current session to log in as someone else in this interaction."""
    ia = store.load(uid)
    if sessions.current() is None:
        abort(400)
    sessions.end(reason="switch_user")
    back = store.hand_back(ia)  # the protocol asks what is needed now
    transaction.commit()
    return redirect(back, 303)
