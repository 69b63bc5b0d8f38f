"""The consent page (ARCHITECTURE §3 step 5)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l

from .. import content_security_policy
from .. import sessions
from ..audit import events
from ..errors import PageError
from ..extensions import db
from ..interaction import store
from ..oidc import authorize
from ..storage import transaction
from ..storage.models import Client
from . import service

bp = Blueprint("consent", __name__, url_prefix="/interaction/<uid>/consent")
NOTHING_TO_CONSENT = _l(
    "There is nothing to give permission for in this login. Return to the service and start again."
)


def _load(uid: str):
    ia = store.load(uid)
    session = sessions.current()
    if ia.kind != "authorize" or session is None or ia.client_id is None:
        raise PageError(NOTHING_TO_CONSENT, status=409, code="no_consent_needed")
    client = db.session.get(Client, ia.client_id)
    return ia, session, client, authorize.requested(ia.params, client)


@bp.get("")
def show(uid: str):
    ia, _session, client, asked = _load(uid)
    response = make_response(
        render_template(
            "consent.html",
            ia=ia,
            client=client,
            rows=service.choices(asked.essential, asked.voluntary),
        )
    )
    # Either answer ends in a redirect to the service's (already validated) redirect URI.
    target = urlsplit(ia.params.get("redirect_uri") or "")
    if target.scheme and target.netloc:
        response.headers["Content-Security-Policy"] = content_security_policy(
            form_action=f"{target.scheme}://{target.netloc}"
        )
    return response


@bp.post("")
def decide(uid: str):
    ia, session, client, asked = _load(uid)
    if request.form.get("decision") != "allow":
        response = authorize.deny(ia, "consent_declined")
        events.emit(
            events.CONSENT_DECLINED, person_id=session.person_id, client_id=client.client_id
        )
        return response
    granted, grant_id = service.decide(
        session.person_id,
        client.client_id,
        essential=asked.essential,
        voluntary=asked.voluntary,
        chosen=set(request.form.getlist("claim")),
        remember=request.form.get("remember") == "yes",
    )
    ia.consent = {"granted": granted, "grant_id": grant_id}
    transaction.commit()
    return redirect(store.path(uid), 303)
