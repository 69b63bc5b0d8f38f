"""The ID-card issuing authority: CA, card issuance, CRL and OCSP, lookup API, reset desk.

``create_app`` wires configuration, the register, the CA, the cards' token folder, verifiers
and officials, blueprints and error pages, and runs issuance recovery; nothing binds at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from silta_common import database

from . import config as settings

MAX_REQUEST_BYTES = 64 * 1024


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The issuer, ready to serve; fails fast on a configuration it cannot run."""
    from . import web
    from .errors import register_error_handlers
    from .extensions import csrf
    from .holders import seed_demo_holders
    from .issuance import recover
    from .views import api
    from .views import desk
    from .views import pages
    from .views import status

    values = settings.load(config)
    settings.check(values)
    app = create_data_app(values)
    app.config.update(
        SESSION_COOKIE_NAME="card_issuer",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=values["ISSUER_URL"].startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=values["DESK_SESSION_MINUTES"]),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )
    issuer = load_issuer(app, create_ca=values["DEBUG"] or values["TESTING"])
    app.extensions["card.issuer"] = issuer
    _load_parties(app)
    with app.app_context():
        with issuer.tokens.lock():
            recover(issuer)  # ARCHITECTURE §6: card state is recoverable after a crash
        if values["SEED_DEMO_HOLDERS"]:
            seed_demo_holders()
    csrf.init_app(app)
    for blueprint in (pages.bp, desk.bp, api.bp, status.bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)  # machine-to-machine, authenticated by API key, no cookies
    csrf.exempt(status.bp)  # OCSP POSTs come from relying parties
    register_error_handlers(app)
    web.init_app(app)
    return app


def create_data_app(values: Mapping[str, Any]) -> Flask:
    """An app bound to the register only: for the CLI's register commands."""
    from .extensions import db

    app = Flask(__name__, instance_path=str(Path(values["INSTANCE_PATH"]).resolve()))
    app.config.update(values)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True, mode=0o700)
    database.bind(app, db, "register.db", foreign_keys=True)
    with app.app_context():
        db.create_all()  # a mock authority's small schema (models.py)
    return app


def load_issuer(app: Flask, *, create_ca: bool = False):
    """The CA, URLs, card tokens and admin key of this instance (see issuance.Issuer)."""
    from ..token import TokenStore
    from . import ca
    from .card_admin import load_admin_key
    from .card_profile import AuthorityUrls
    from .issuance import Issuer

    instance, algorithm = app.instance_path, app.config["KEY_ALGORITHM"]
    if create_ca:
        ca.create(instance, algorithm)
    try:
        authority = ca.load(instance, algorithm)
    except ca.AuthorityMissing as missing:
        raise settings.ConfigError(str(missing)) from None
    tokens = TokenStore(Path(instance) / "cards", app.config["PKCS11_MODULE"]).ensure()
    return Issuer(
        authority, AuthorityUrls.under(app.config["ISSUER_URL"]), tokens, load_admin_key(instance)
    )


def _load_parties(app: Flask) -> None:
    from .demo import demo_officials
    from .demo import demo_verifiers
    from .officials import load_officials
    from .verifiers import load_verifiers

    config, instance = app.config, Path(app.instance_path)
    verifier_entries = list(config.get("VERIFIERS") or [])
    official_entries = list(config.get("DESK_OFFICIALS") or [])
    if config["DEBUG"] and not (config["VERIFIERS_FILE"] or verifier_entries):
        verifier_entries = demo_verifiers(instance)
    if config["DEBUG"] and not (config["DESK_OFFICIALS_FILE"] or official_entries):
        official_entries = demo_officials(instance)
    try:
        app.extensions["card.verifiers"] = load_verifiers(
            config["VERIFIERS_FILE"], verifier_entries
        )
        app.extensions["card.officials"] = load_officials(
            config["DESK_OFFICIALS_FILE"], official_entries
        )
    except (OSError, ValueError) as error:
        raise settings.ConfigError(
            f"Verifiers or desk officials cannot be loaded: {error}"
        ) from None
