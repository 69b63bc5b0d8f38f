"""The OpenID Provider's endpoints. Each view hands the request to Authlib or to one service."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify

from .. import authorize as authorize_service
from .. import discovery
from .. import keys
from .. import scenarios
from ..banks import logo_svg
from ..errors import ServerErrorPage
from ..extensions import db
from ..pages import current_bank
from ..pages import render_page
from ..server import authorization_server as server

bp = Blueprint("protocol", __name__)

# Called by the broker or arriving cross-site from it: no CSRF token to carry (RFC 6749 §3.2).
CROSS_SITE_VIEWS = ("authorize", "token")


def _public(response: Response, max_age: int = 300) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response


@bp.get("/.well-known/openid-configuration")
def openid_configuration():
    """OpenID Connect Discovery 1.0 §4: the provider metadata."""
    return _public(jsonify(discovery.metadata()))


@bp.get("/jwks.json")
def jwks():
    """The bank's public signing key (RFC 7517)."""
    return _public(jsonify(keys.current().jwks))


@bp.route("/authorize", methods=["GET", "POST"])  # OIDC Core §3.1.2.1: GET and POST
def authorize():
    """OIDC Core §3.1.2.1: GET and POST; the request object carries the request."""
    scenario = scenarios.bank_wide()
    if scenario is not None and scenario.authorize_error:
        raise ServerErrorPage()
    return authorize_service.begin()


@bp.post("/token")
def token():
    """RFC 6749 §4.1.3: a code for an ID token; commits only on success."""
    response = server.create_token_response()
    if response.status_code == 200:
        db.session.commit()
    else:
        db.session.rollback()
    return response


@bp.get("/healthz")
def healthz():
    """200 while the bank answers (the `down` scenario answers 503 first)."""
    return jsonify(status="ok")


@bp.get("/logo.svg")
def logo():
    """The bank's logo, for its pages and the broker's method choice."""
    return _public(Response(logo_svg(current_bank()), mimetype="image/svg+xml"), 3600)


@bp.get("/")
def index():
    """A plain page for people who open the bank's address."""
    return render_page("index.html")
