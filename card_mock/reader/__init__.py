"""The citizen's reader bridge: the page that takes the PIN and signs with the card.

``create_app`` wires configuration, the cards' token folder, the durable card state, the
authority's reset-code check, blueprints, error pages and headers, and runs crash recovery
before the first request; nothing binds at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask

from . import config as settings
from .extensions import csrf

MAX_REQUEST_BYTES = 16 * 1024


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The bridge, ready to serve; fails fast on a configuration it cannot run."""
    from ..token import TokenStore
    from . import web
    from .errors import register_error_handlers
    from .issuer_client import ResetCodeRedeemer
    from .service import CardReader
    from .snapshots import Snapshots
    from .states import CardStates
    from .views import pages
    from .views import pin
    from .views import sign

    values = settings.load(config)
    settings.check(values)
    instance = Path(values["INSTANCE_PATH"]).resolve()
    instance.mkdir(parents=True, exist_ok=True, mode=0o700)
    app = Flask(__name__, instance_path=str(instance))
    app.config.update(values)
    app.config.update(
        SESSION_COOKIE_NAME="silta_reader",  # cookies ignore ports: not the issuer's or broker's
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",  # only the bridge's own pages post its forms
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )
    tokens = TokenStore(values["TOKEN_FOLDER"], values["PKCS11_MODULE"]).ensure()
    states = CardStates(instance / "card-state.db", values["RESET_CODE_TRIES"])
    reader = CardReader(tokens, states, Snapshots(instance / "snapshots"))
    reader.recover()  # ARCHITECTURE §6: card state is recoverable after a crash
    app.extensions[web.READER] = reader
    app.extensions[web.REDEEMER] = ResetCodeRedeemer(
        values["ISSUER_URL"],
        values["VERIFIER_ID"],
        partial(settings.verifier_key, values),
        values["ISSUER_TIMEOUT_SECONDS"],
    )
    csrf.init_app(app)
    for blueprint in (pages.bp, sign.bp, pin.bp):
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    web.init_app(app)
    return app
