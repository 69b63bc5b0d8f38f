"""The citizen's screens: customer number and password, key code, and the release decision."""

from __future__ import annotations

from flask import Blueprint
from flask import redirect
from flask import request
from flask import url_for
from flask_babel import lazy_gettext as _l

from .. import authorize
from .. import login
from .. import ratelimit
from .. import transactions as tx_store
from ..errors import RateLimited
from ..login import Outcome
from ..models import LoginTransaction
from ..pages import render_page

bp = Blueprint("screens", __name__, url_prefix="/login")
LOCKED = _l(
    "Identification is locked for a while after too many wrong attempts. "
    "Try again later, or call the bank."
)
FAILED = _l("The details you gave do not match our records. Check them and try again.")


def _page(template: str, tx: LoginTransaction, status: int = 200, **context):
    return render_page(
        template,
        status=status,
        ui_locales=tx.params.get("ui_locales"),
        form_targets=[tx.params["redirect_uri"]],  # cancel and login may answer the client
        tx=tx,
        service=tx.params["ftn_spname"],
        **context,
    )


def _count_login_post() -> None:
    if not ratelimit.allow(request.remote_addr or "unknown"):
        raise RateLimited()


@bp.get("/<uid>")
def password(uid: str):
    """The first screen: customer number and password."""
    return _page("login.html", tx_store.load(uid, tx_store.PASSWORD, tx_store.CODE))


@bp.post("/<uid>")
def password_post(uid: str):
    """Check the pair server-side and move on to the key code, unless locked."""
    _count_login_post()
    tx = tx_store.load(uid, tx_store.PASSWORD, tx_store.CODE)
    form = request.form
    outcome = login.submit_password(tx, form.get("customer_number", ""), form.get("password", ""))
    if outcome is Outcome.LOCKED:
        return _page("login.html", tx, status=403, message=LOCKED)
    return redirect(url_for(".code", uid=uid), 303)


@bp.get("/<uid>/code")
def code(uid: str):
    """The second screen: the key code."""
    return _page("code.html", tx_store.load(uid, tx_store.CODE))


@bp.post("/<uid>/code")
def code_post(uid: str):
    """Judge password and key code together; log in, refuse, or lock."""
    _count_login_post()
    tx = tx_store.load(uid, tx_store.CODE)
    outcome = login.submit_code(tx, request.form.get("code", ""))
    if outcome is Outcome.NEXT:
        return redirect(url_for(".release", uid=uid), 303)
    if outcome is Outcome.DENIED:
        return authorize.deny(tx, tx_store.RELEASE)
    if outcome is Outcome.LOCKED:
        return _page("login.html", tx, status=403, message=LOCKED)
    return _page("login.html", tx, message=FAILED)


@bp.get("/<uid>/release")
def release(uid: str):
    """The bank's own release screen: what goes to which service."""
    return _page("release.html", tx_store.load(uid, tx_store.RELEASE))


@bp.post("/<uid>/release")
def release_post(uid: str):
    """Continue answers with a code; anything else with access_denied."""
    tx = tx_store.load(uid, tx_store.RELEASE)
    if request.form.get("decision") == "continue":
        return authorize.finish(tx)
    return authorize.deny(tx, tx_store.RELEASE)


@bp.post("/<uid>/cancel")
def cancel(uid: str):
    """Cancel from any screen: the client gets access_denied."""
    states = (tx_store.PASSWORD, tx_store.CODE, tx_store.RELEASE)
    return authorize.deny(tx_store.load(uid, *states), *states)
