"""The authorization endpoint and the end of a login transaction (OIDC Core §3.1.2).

`/authorize` never renders a form: Authlib verifies the request object and validates the
request; the bank stores it as a login transaction and sends the browser to the screens. When
the screens are done the stored request is validated again and answered with a code or an
error, always by redirect to the validated URI with `state` and `iss`.
"""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import AccessDeniedError
from flask import Response
from flask import redirect
from flask import url_for

from . import replay
from . import transactions as tx_store
from .errors import UntrustedRequest
from .extensions import db
from .models import Customer
from .models import LoginTransaction
from .server import StoredRequest
from .server import authorization_server as server
from .server import issuer_parameter


def begin() -> Response:
    """Verify and store the request; the citizen continues at the login screen."""
    try:
        grant = server.get_consent_grant()
    except OAuth2Error as error:
        return error_response(error)
    params = dict(grant.request.payload.data)
    client_id = grant.request.client.client_id
    tx = tx_store.create(client_id, params)
    # RFC 9101 §10.8: the object is used once. Of two racing uses, one stores a transaction.
    if not replay.consume(replay.REQUEST_OBJECT, client_id, params["jti"], params["exp"]):
        db.session.rollback()
        raise UntrustedRequest(
            "The request object was already used.", code="invalid_request_object"
        )
    db.session.commit()
    return redirect(url_for("screens.password", uid=tx.uid), 303)


def finish(tx: LoginTransaction) -> Response:
    """Answer the stored request with a code for the logged-in customer."""
    customer = db.session.get(Customer, tx.customer_id)
    stored = StoredRequest(tx)
    try:
        grant = server.get_consent_grant(request=stored, end_user=customer)
    except OAuth2Error as error:
        return error_response(error)
    tx_store.advance(tx, tx_store.DONE, tx_store.RELEASE)
    response = server.create_authorization_response(
        request=grant.request, grant_user=customer, grant=grant
    )
    db.session.commit()
    return response


def deny(tx: LoginTransaction, *from_states: str) -> Response:
    """The citizen cancelled, or a scenario refuses: the client gets access_denied."""
    tx_store.advance(tx, tx_store.DONE, *from_states)
    db.session.commit()
    params = tx.params
    return error_response(
        AccessDeniedError(redirect_uri=params["redirect_uri"], state=params.get("state"))
    )


def error_response(error: OAuth2Error) -> Response:
    """Redirect an error to a validated redirect URI; without one, tell the citizen instead."""
    db.session.rollback()
    if not error.redirect_uri:
        # RFC 6749 §4.1.2.1: an unverified client or redirect URI is never redirected to.
        raise UntrustedRequest(error.description or error.error, code=error.error)
    return issuer_parameter.add_to(server.handle_error_response(None, error))
