"""/account: current consents, and every release of the citizen's data with its chain status."""

from __future__ import annotations

from flask import Blueprint
from flask import after_this_request
from flask import redirect
from flask import render_template
from flask_babel import lazy_gettext as _l

from .. import sessions
from ..audit import release_log
from ..authenticators.registry import methods
from ..consent import service as consent
from ..errors import InteractionExpired
from ..errors import NotLoggedIn
from ..errors import PageError
from ..interaction import policy
from ..interaction import store
from ..interaction.prompt import Prompt
from ..storage import clients as stored_clients
from ..storage import transaction

bp = Blueprint("account", __name__, url_prefix="/account")
NO_SUCH_CONSENT = _l("There is no such permission to withdraw. It may have been withdrawn already.")


@bp.get("/")
def overview():
    session, person = sessions.current(), sessions.current_person()
    if session is None or person is None:
        return render_template("account_login.html")
    grants = consent.grants_of(person.id)
    clients = stored_clients.by_ids([grant.client_id for grant in grants])
    return render_template(
        "account.html",
        person=person,
        session=session,
        grants=grants,
        clients=clients,
        entries=release_log.entries_for(person.id),
        chain=release_log.verify(person.id),
        method_label=_method_label,
        label=consent.label,
    )


@bp.post("/login")
def login():
    """The citizen's own login, to see their data: an interaction no service waits for."""
    ia = store.create(
        "account",
        None,
        {"next": "/account"},
        after_this_request,
        resume="account.resume",
        prompt=Prompt.login(policy.CHECKS[0].name),
    )
    transaction.commit()
    return redirect(store.path(ia.uid), 303)


@bp.get("/login/<uid>")
def resume(uid: str):
    """Where the screens send the browser back: logged in, the login is over."""
    ia = store.load(uid)
    if sessions.current() is None:  # logged out again on the way (switched user)
        screen = store.ask(ia, Prompt.login(policy.CHECKS[0].name))
        transaction.commit()
        return redirect(screen, 303)
    if not store.claim_finish(ia):
        raise InteractionExpired()
    transaction.commit()
    return redirect(ia.params.get("next", "/account"), 303)


@bp.post("/consents/<int:grant_id>/revoke")
def revoke(grant_id: int):
    session = sessions.current()
    if session is None:
        raise NotLoggedIn()
    if not consent.revoke(session.person_id, grant_id):
        raise PageError(NO_SUCH_CONSENT, status=404, code="no_such_consent")
    return redirect("/account/", 303)


@bp.post("/logout")
def logout():
    sessions.end()
    transaction.commit()
    return redirect("/account/", 303)


def _method_label(name: str) -> str:
    """A method's own name for the citizen; a method since removed keeps its registry name."""
    method = methods().get(name)
    return method.label() if method is not None else name
