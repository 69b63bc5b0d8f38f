"""The demo government services: one generic OpenID Connect client app, one process per service.

``create_app`` reads the configuration and the service's settings file, then wires the database,
the server-side sessions, CSRF, the broker client, the blueprints and the error pages; nothing
binds at import. The service never imports the broker: they talk HTTP only.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from silta_common import database

from . import config as settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The service named by SERVICE, ready to serve; fails fast on a configuration it cannot run."""
    from . import client
    from . import web
    from .credentials import CredentialsError
    from .errors import register_error_handlers
    from .extensions import csrf
    from .sessions import DatabaseSessionInterface

    values = settings.load(config)
    settings.check(values)
    service = values["SERVICE_SETTINGS"]
    app = Flask(__name__, instance_path=str(Path(values["INSTANCE_PATH"]).resolve()))
    app.config.update(values)
    app.config.update(
        SESSION_COOKIE_NAME=f"rp_{service.id}",  # the demo's services share 127.0.0.1
        SESSION_COOKIE_HTTPONLY=True,
        # Lax, not Strict: the broker's redirect to /callback is a top-level cross-site GET.
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=values["BASE_URL"].startswith("https://"),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session it is kept in
    )
    _init_database(app)
    app.session_interface = DatabaseSessionInterface()
    csrf.init_app(app)
    try:
        client.init_app(app, service)
    except CredentialsError as error:
        raise settings.ConfigError(str(error)) from None
    _register_blueprints(app, service.id)
    register_error_handlers(app)
    web.init_app(app)
    return app


def _init_database(app: Flask) -> None:
    from .extensions import db

    Path(app.instance_path).mkdir(parents=True, exist_ok=True, mode=0o700)  # keys, sessions
    database.bind(app, db, "service.db")
    with app.app_context():
        db.create_all()  # a demo service's small private schema: no migrations (models.py)


def _register_blueprints(app: Flask, service_id: str) -> None:
    from .extensions import csrf
    from .views import auth
    from .views import benefits
    from .views import common
    from .views import municipal

    app.register_blueprint(common.bp)
    app.register_blueprint(auth.bp)
    # Each service has its own pages beside the shared ones.
    extra = {"benefits": benefits.bp, "municipal": municipal.bp}.get(service_id)
    if extra is not None:
        app.register_blueprint(extra)
    csrf.exempt(app.view_functions["auth.backchannel_logout"])  # server to server, signed token
