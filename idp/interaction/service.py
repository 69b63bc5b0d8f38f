"""The steps every screen shares: what a method may know, and the end of a login."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect
from flask_babel import get_locale
from werkzeug.wrappers import Response

from .. import accounts
from .. import sessions
from ..audit import events
from ..authenticators.base import AuthnResult
from ..authenticators.base import LoginContext
from ..extensions import db
from ..storage import transaction
from ..storage.models import Client
from ..storage.models import Interaction
from . import store


def login_context(ia: Interaction) -> LoginContext:
    client = db.session.get(Client, ia.client_id) if ia.client_id else None
    return LoginContext(
        interaction_uid=ia.uid,
        service_name=client.name if client else None,
        acr_floor=store.prompt(ia).acr_floor,
        ui_locale=str(get_locale()),
        return_origin=return_origin(ia),
    )


def return_origin(ia: Interaction) -> str:
    """The origin of the service's redirect URI (validated by /authorize), or "" if none."""
    target = urlsplit(ia.params.get("redirect_uri") or "") if ia.client_id else None
    return f"{target.scheme}://{target.netloc}" if target and target.netloc else ""


def complete_login(ia: Interaction, result: AuthnResult) -> Response:
    """A method verified the citizen: link the person, start the session, hand back."""
    previous = sessions.current()
    person = accounts.link(result)
    if ia.consent is not None and (previous is None or previous.person_id != person.id):
        # OIDC Core §3.1.2.4: the End-User whose data is released must be the one who
        # consented; a consent given here by whoever was logged in before does not carry over.
        ia.consent = None
    session = sessions.start(person, result)
    renewed = previous is not None and previous.sid == session.sid  # the same person again
    ia.session_sid = session.sid
    back = store.hand_back(ia)
    transaction.commit()
    events.emit(
        events.LOGIN_SUCCEEDED,
        method=result.method,
        acr=result.acr,
        client_id=ia.client_id,
        person_id=person.id,
    )
    if not renewed:
        events.emit(events.SESSION_STARTED, sid=session.sid, method=result.method)
    return redirect(back, 303)
