"""Login, the callback, RP-initiated logout and back-channel logout."""

from __future__ import annotations

from authlib.integrations.base_client import OAuthError
from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import request
from flask import session

from silta_common.i18n import select_locale

from .. import login
from .. import logout
from .. import municipal
from ..client import BrokerUnavailable
from ..client import broker_client
from ..errors import LoginFailed
from ..errors import StepUpRefused
from ..errors import Unavailable
from ..pages import current_login
from ..pages import current_service
from ..pages import render_page
from ..sessions import sweep

bp = Blueprint("auth", __name__)


@bp.get("/login")
def start_login():
    """Send the browser to the broker (302), asking for the service's level of assurance."""
    sweep()
    try:
        url = login.start(acr_values=current_service().acr_values, locale=select_locale())
    except BrokerUnavailable as error:
        raise Unavailable(detail=str(error)) from None
    return redirect(url, 302)


@bp.get("/callback")
def callback():
    """The redirect URI: finish the login, or the step-up, and go on to the right page."""
    try:
        result = login.finish(request.args)
    except LoginFailed as failed:
        if failed.purpose == login.STEP_UP_PURPOSE:
            raise StepUpRefused(failed.code, failed.detail) from None
        raise
    if result.purpose == login.STEP_UP_PURPOSE:
        municipal.complete_step_up(result)
        return redirect("/address", 303)
    login.remember(result)
    return redirect("/", 303)


@bp.route("/logout", methods=["GET", "POST"])
def start_logout():
    """RP-Initiated Logout 1.0 §2: end the local session, then the broker's (302)."""
    held = current_login()
    session.clear()
    if not held:
        return redirect("/logged-out", 303)
    client = broker_client()
    try:
        return client.logout_redirect(
            current_app.config["BASE_URL"] + "/logged-out",
            id_token_hint=held["id_token"],
            ui_locales=select_locale(),
        )
    except BrokerUnavailable:
        return redirect("/logged-out", 303)  # logged out here; the broker cannot be told now


@bp.get("/logged-out")
def logged_out():
    """§3: the broker sends the browser back with our `state`; check it before saying so."""
    try:
        broker_client().validate_logout_response()
        confirmed = True
    except OAuthError:
        confirmed = False
    return render_page("logged_out.html", confirmed=confirmed)


@bp.post("/backchannel-logout")
def backchannel_logout():
    """Back-Channel Logout 1.0 §2.8: 200 when done, 400 with an error otherwise; no caching."""
    try:
        logout.receive(request.form.get("logout_token"))
    except logout.LogoutRejected as rejected:
        response = jsonify(error="invalid_request", error_description=rejected.reason)
        response.status_code = 400
    except BrokerUnavailable as error:
        response = jsonify(error="temporarily_unavailable", error_description=str(error))
        response.status_code = 400
    else:
        response = current_app.response_class(status=200)
    response.headers["Cache-Control"] = "no-store"
    return response
