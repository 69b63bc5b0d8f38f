"""The protocol endpoints. Each view hands the request to Authlib or to one service."""

from __future__ import annotations

from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2 import OAuth2Error
from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import render_template
from flask import request

from .. import sessions
from ..errors import PageError
from ..ops import jobs
from ..storage import clients as stored_clients
from ..storage import transaction
from . import authorize as authorize_service
from . import backchannel
from . import discovery
from . import dpop
from . import federation
from . import keys
from .client_auth import ClientSecretJWT
from .client_auth import PrivateKeyJWT
from .dpop_binding import AccessTokenValidator
from .dpop_binding import DPoPBinding
from .dpop_binding import DPoPTokenValidator
from .endpoints import EndSessionEndpoint
from .endpoints import RevocationEndpoint
from .endpoints import UserInfoEndpoint
from .grants import AuthorizationCodeGrant
from .grants import OpenIDCode
from .grants import RefreshTokenGrant
from .grants import S256Required
from .par import create_par_response
from .request_rules import AuthorizationRequestRules
from .requests import RequestObjects
from .server import authorization_server as server
from .server import new_token

bp = Blueprint("oidc", __name__)
resource_protector = ResourceProtector()


def init_server(app) -> None:
    """Bind the server to an app; its grants, endpoints and extensions are set up once.

    The server is a module singleton (STYLE rule 1) and a process may build several apps (the
    test suite does): registering twice would run every hook twice.
    """
    app.config.setdefault("OAUTH2_ACCESS_TOKEN_GENERATOR", new_token)
    app.config.setdefault("OAUTH2_REFRESH_TOKEN_GENERATOR", new_token)
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {
        "authorization_code": app.config["ACCESS_TOKEN_LIFETIME"],
        "refresh_token": app.config["ACCESS_TOKEN_LIFETIME"],
    }
    server.init_app(app)
    stored_clients.init_app(app)
    jobs.register(app, "signing_keys_settled", lambda: len(keys.settle()))
    jobs.register(app, "logouts_delivered", backchannel.deliver_due, while_serving=True)
    if _registered:
        return
    _registered.append(True)
    sessions.session_ended.connect(backchannel.owe_logouts)  # Back-Channel Logout 1.0 §2
    server.register_grant(
        AuthorizationCodeGrant,
        [AuthorizationRequestRules(), S256Required(), OpenIDCode(), DPoPBinding()],
    )
    server.register_grant(RefreshTokenGrant, [DPoPBinding()])
    server.register_extension(RequestObjects())
    for method in (PrivateKeyJWT(), ClientSecretJWT()):
        server.register_client_auth_method(method.CLIENT_AUTH_METHOD, method)
    server.register_endpoint(RevocationEndpoint)
    server.register_endpoint(EndSessionEndpoint)
    resource_protector.register_token_validator(AccessTokenValidator())
    resource_protector.register_token_validator(DPoPTokenValidator())
    server.register_endpoint(UserInfoEndpoint(resource_protector=resource_protector))


_registered: list[bool] = []


# Called by services, not by the citizen's browser: no CSRF token to carry (RFC 6749 §3.2).
CROSS_SITE_VIEWS = ("authorize", "token", "userinfo", "revoke", "logout", "par")


@bp.get("/.well-known/openid-configuration")
def openid_configuration():
    response = jsonify(discovery.metadata())
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/jwks.json")
def jwks():
    return _public(jsonify(keys.cache().jwks()))


@bp.get("/jwks.jwt")
def signed_jwks():
    """The JWKS as a signed JWT: `signed_jwks_uri` (OpenID Federation 1.0 §5.2.1)."""
    return _public(Response(federation.signed_jwks(), mimetype=federation.JWKS_MEDIA_TYPE))


@bp.get("/.well-known/openid-federation")
def openid_federation():
    """The self-signed entity configuration (OpenID Federation 1.0 §9)."""
    statement = federation.entity_configuration()
    return _public(Response(statement, mimetype=federation.STATEMENT_MEDIA_TYPE))


def _public(response: Response) -> Response:
    """Key documents: cacheable by anyone for five minutes, like the JWKS itself."""
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.route("/authorize", methods=["GET", "POST"])
def authorize():
    return authorize_service.begin()


@bp.get("/authorize/resume/<uid>")
def resume(uid: str):
    """Where the screens send the browser back when they did what the protocol asked."""
    return authorize_service.resume(uid)


@bp.post("/par")
def par():
    return create_par_response()


@bp.post("/token")
def token():
    response = server.create_token_response()
    if response.status_code == 200:
        transaction.commit()
        if dpop.HEADER in request.headers:  # RFC 9449 §8.2: the nonce for the next proof
            response.headers.extend(dpop.nonce_headers())
    else:
        transaction.rollback()
    return response


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo():
    return server.create_endpoint_response("userinfo")


@bp.post("/revoke")
def revoke():
    return server.create_endpoint_response("revocation")


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """RP-Initiated Logout 1.0 §2: without an ID token hint, ask the citizen first (§3)."""
    return _end_session(confirmed=False)


@bp.post("/logout/confirm")
def logout_confirm():
    """The citizen's own confirmation; unlike /logout, CSRF-protected."""
    return _end_session(confirmed=True)


def _end_session(confirmed: bool):
    try:
        end_session_request = server.validate_endpoint_request("end_session")
    except OAuth2Error as error:
        raise PageError(error.description, code=error.error) from None
    if end_session_request.needs_confirmation and not confirmed:
        return render_template(
            "logout_confirm.html",
            client=end_session_request.client,
            fields=request.values.items(),
        )
    response = server.create_endpoint_response("end_session", end_session_request)
    return response or render_template("logged_out.html")
