"""The pushed authorization request endpoint (RFC 9126 §2)."""

from __future__ import annotations

from authlib.consts import default_json_headers
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from flask import Response
from flask import current_app

from ..storage import transaction
from . import dpop
from . import requests as pushed
from .grants import TOKEN_AUTH_METHODS
from .server import StoredRequest
from .server import authorization_server as server

CLIENT_AUTH_PARAMS = {"client_secret", "client_assertion", "client_assertion_type"}


def create_par_response() -> Response:
    oauth_request = server.create_oauth2_request(None)
    try:
        # §2: the client authenticates as it would at the token endpoint.
        client = server.authenticate_client(oauth_request, TOKEN_AUTH_METHODS, endpoint="par")
        pushed.refuse_repeated(oauth_request.payload.data)  # §2.1: as /authorize would
        data = {k: v for k, v in oauth_request.form.items() if k not in CLIENT_AUTH_PARAMS}
        if "request_uri" in data:  # §2.1: a pushed request cannot point at another
            raise InvalidRequestError("'request_uri' is not allowed at the PAR endpoint.")
        if data.setdefault("client_id", client.client_id) != client.client_id:
            raise InvalidRequestError("'client_id' does not match the authenticated client.")
        if data.get("request"):
            params = pushed.unpack_object(data, client)
        elif client.require_signed_request_object:
            raise InvalidRequestError("This client must send a signed request object.")
        else:
            params = data
        proof = _dpop_proof(oauth_request, params)
        # §2.1: validate as the authorization endpoint would, before anything is stored.
        grant = server.get_authorization_grant(StoredRequest(params))
        grant.validate_authorization_request()
        if proof is not None:
            dpop.spend(proof)
        request_uri, expires_in = pushed.push(client, params)
        transaction.commit()
    except OAuth2Error as error:
        transaction.rollback()
        error.redirect_uri = None  # §2.3: errors answer the client, never redirect a browser
        return server.handle_error_response(oauth_request, error)
    body = {"request_uri": request_uri, "expires_in": expires_in}
    headers = default_json_headers + (dpop.nonce_headers() if proof else [])
    return server.handle_response(201, body, headers)


def _dpop_proof(oauth_request, params: dict) -> dpop.Proof | None:
    """RFC 9449 §10.1: a DPoP proof at /par binds the code to its key, as `dpop_jkt` would."""
    raw = dpop.read_proof(oauth_request.headers)
    if raw is None:
        return None
    proof = dpop.check_proof(raw, "POST", current_app.config["ISSUER"] + "/par")
    if params.setdefault("dpop_jkt", proof.jkt) != proof.jkt:
        raise InvalidRequestError("'dpop_jkt' does not match the key of the DPoP proof.")
    return proof
