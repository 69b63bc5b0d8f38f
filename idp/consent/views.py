"""The consent page (ARCHITECTURE §3 step 5)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from .. import sessions
from ..audit import events
from ..errors import PageError
from ..extensions import db
from ..interaction import store
from ..interaction.prompt import Prompt
from ..storage import transaction
from ..storage.models import Client
from ..storage.models import Interaction
from ..storage.models import LiveSession
from ..web.headers import content_security_policy
from . import service

bp = Blueprint("consent", __name__, url_prefix="/interaction/<uid>/consent")
NOTHING_TO_CONSENT = _l(
    "There is nothing to give permission for in this login. Return to the service and start again."
)


def _load(uid: str) -> tuple[Interaction, LiveSession, Client, Prompt]:
    ia = store.load(uid)
    session = sessions.current()
    client = db.session.get(Client, ia.client_id) if ia.client_id else None
    if session is None or client is None:
        raise PageError(NOTHING_TO_CONSENT, status=409, code="no_consent_needed")
    return ia, session, client, store.prompt(ia)


@bp.get("")
def show(uid: str) -> Response:
    ia, _session, client, asked = _load(uid)
    response = make_response(
        render_template(
            "consent.html",
            ia=ia,
            client=client,
            rows=service.choices(frozenset(asked.essential), frozenset(asked.voluntary)),
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
def decide(uid: str) -> Response:
    ia, session, client, asked = _load(uid)
    if request.form.get("decision") != "allow":
        back = store.deny(ia, "consent_declined")
        transaction.commit()
        events.emit(
            events.CONSENT_DECLINED, person_id=session.person_id, client_id=client.client_id
        )
        return redirect(back, 303)
    granted, grant_id = service.decide(
        session.person_id,
        client.client_id,
        essential=frozenset(asked.essential),
        voluntary=frozenset(asked.voluntary),
        chosen=set(request.form.getlist("claim")),
        remember=request.form.get("remember") == "yes",
    )
    ia.consent = {"granted": granted, "grant_id": grant_id}
    back = store.hand_back(ia)
    transaction.commit()
    return redirect(back, 303)
