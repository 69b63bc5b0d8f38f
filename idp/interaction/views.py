"""The method choice: the first screen a citizen sees, and where every login returns."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request

from .. import content_security_policy
from .. import sessions
from ..authenticators.registry import methods
from ..extensions import db
from ..oidc import authorize
from ..storage import transaction
from ..storage.models import Client
from . import policy
from . import service
from . import store

bp = Blueprint("interaction", __name__, url_prefix="/interaction")


@bp.get("/<uid>")
def show(uid: str):
    ia = store.load(uid)
    check = authorize.pending_check(ia)
    if check is None:
        return service.finish(ia)
    if check.prompt == policy.CONSENT:
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
            reason=check.name,
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
def cancel(uid: str):
    ia = store.load(uid)
    if ia.kind != "authorize":
        store.claim_finish(ia)
        transaction.commit()
        return redirect("/", 303)
    return authorize.deny(ia, "cancelled_at_method_choice")


@bp.post("/<uid>/switch")
def switch_user(uid: str):
    """Log out of the current session to log in as someone else in this interaction."""
    store.load(uid)
    if sessions.current() is None:
        abort(400)
    sessions.end(reason="switch_user")
    transaction.commit()
    return redirect(store.path(uid), 303)
