"""A mock bank: one Flask application, run as several fictional Finnish banks (one per process).

Each bank is a complete OpenID Provider on the FTN profile, with its own issuer, keys,
branding and customer register. ``create_app`` wires configuration, database, keys, clients,
the authorization server, blueprints and error pages; nothing binds at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from silta_common import database

from . import config as settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The bank named by BANK_ID, ready to serve; fails fast on a configuration it cannot run."""
    from . import clients
    from . import keys
    from . import web
    from .errors import register_error_handlers
    from .extensions import csrf
    from .scenarios import ScenarioSwitch

    values = settings.load(config)
    settings.check(values)
    app = create_data_app(values)
    app.config.update(
        SESSION_COOKIE_NAME=f"bank_{values['BANK_ID']}",  # banks share 127.0.0.1: own cookies
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=values["ISSUER"].startswith("https://"),
        OAUTH2_TOKEN_EXPIRES_IN={"authorization_code": 600},
        OAUTH2_SCOPES_SUPPORTED=list(clients.SCOPES),
    )
    demo_or_test = values["DEBUG"] or values["TESTING"]
    app.extensions["bank.keys"] = keys.load_key(app.instance_path, values["BANK_ID"], demo_or_test)
    app.extensions["bank.clients"] = clients.load_clients(
        values["CLIENTS_FILE"], values.get("CLIENTS")
    )
    app.extensions["bank.scenario"] = ScenarioSwitch(values["SCENARIO"])
    csrf.init_app(app)
    _init_server(app)
    _register_blueprints(app)
    register_error_handlers(app)
    web.init_app(app)
    return app


def create_data_app(values: Mapping[str, Any]) -> Flask:
    """An app bound to the bank's database only: for the CLI's register commands."""
    from .extensions import db

    app = Flask(__name__, instance_path=str(Path(values["INSTANCE_PATH"]).resolve()))
    app.config.update(values)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    database.bind(app, db, "bank.db", foreign_keys=True)
    with app.app_context():
        db.create_all()  # a mock bank's small schema: create_all at start-up, no migrations
    return app


_server_ready = False


def _init_server(app: Flask) -> None:
    """Bind Authlib's server to this app; register its grants once per process."""
    global _server_ready
    from .client_auth import PrivateKeyJWT
    from .grants import AuthorizationCodeGrant
    from .grants import FTNRules
    from .grants import S256Only
    from .id_token import IDToken
    from .request_object import SignedRequestObject
    from .server import authorization_server as server
    from .server import issuer_parameter

    server.init_app(app)
    if _server_ready:
        return
    server.register_grant(AuthorizationCodeGrant, [FTNRules(), S256Only(), IDToken()])
    server.register_client_auth_method(PrivateKeyJWT.CLIENT_AUTH_METHOD, PrivateKeyJWT())
    server.register_extension(SignedRequestObject())
    server.register_extension(issuer_parameter)
    _server_ready = True


def _register_blueprints(app: Flask) -> None:
    from .extensions import csrf
    from .views import demo
    from .views import protocol
    from .views import screens

    for blueprint in (protocol.bp, screens.bp, demo.bp):
        app.register_blueprint(blueprint)
    for view in protocol.CROSS_SITE_VIEWS:
        csrf.exempt(app.view_functions[f"protocol.{view}"])
    csrf.exempt(app.view_functions["demo.scenario"])  # demo tooling posts it; 404 outside demo
