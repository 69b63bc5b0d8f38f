"""Finishing steps of an interaction, shared by the methods' and the consent screens."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect
from flask_babel import get_locale

from .. import accounts
from .. import sessions
from ..audit import events
from ..authenticators.base import AuthnResult
from ..authenticators.base import LoginContext
from ..errors import InteractionExpired
from ..extensions import db
from ..oidc import authorize
from ..storage import transaction
from ..storage.models import Client
from ..storage.models import Interaction
from . import store


def login_context(ia: Interaction) -> LoginContext:
    client = db.session.get(Client, ia.client_id) if ia.client_id else None
    floor = 0
    if client is not None:
        floor = authorize.acr_floor(ia.params, client, authorize.requested(ia.params, client))
    return LoginContext(
        interaction_uid=ia.uid,
        service_name=client.name if client else None,
        acr_floor=floor,
        ui_locale=str(get_locale()),
        return_origin=return_origin(ia),
    )


def return_origin(ia: Interaction) -> str:
    """The origin of the service's redirect URI (validated by /authorize), or "" if none."""
    target = urlsplit(ia.params.get("redirect_uri") or "") if ia.kind == "authorize" else None
    return f"{target.scheme}://{target.netloc}" if target and target.netloc else ""


def complete_login(ia: Interaction, result: AuthnResult):
    """A method verified the citizen: link the person, start the session, carry on."""
    previous = sessions.current()
    person = accounts.link(result)
    if ia.consent is not None and (previous is None or previous.person_id != person.id):
        # OIDC Core §3.1.2.4: the End-User whose data is released must be the one who
        # consented; a consent given here by whoever was logged in before does not carry over.
        ia.consent = None
    session = sessions.start(person, result)
    renewed = previous is not None and previous.sid == session.sid  # the same person again
    ia.session_sid = session.sid
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
    return redirect(store.path(ia.uid), 303)


def finish(ia: Interaction):
    if ia.kind == "authorize":
        return authorize.finish(ia)
    if not store.claim_finish(ia):
        raise InteractionExpired()
    transaction.commit()
    return redirect(ia.params.get("next", "/account"), 303)
