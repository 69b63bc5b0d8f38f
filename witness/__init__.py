"""The witness: an independent party that cosigns a transparency log's checkpoints.

It fetches each log's latest checkpoint (or is sent it, C2SP tlog-witness), checks the log's
signature and consistency with the last checkpoint it cosigned, cosigns (C2SP cosignature/v1)
and refuses, with a durable alarm, any rollback or fork. It has its own store and key and
never imports the broker. ``create_app`` wires configuration, store, key, logs, views and error
handling; nothing binds at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask import Response

from . import config as settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The witness, ready to serve; fails fast on a configuration it cannot run."""
    from .errors import register_error_handlers
    from .extensions import db
    from .keys import load_key
    from .logs import load_logs
    from .views import bp

    values = settings.load(config)
    settings.check(values)
    app = Flask(__name__, instance_path=str(Path(values["INSTANCE_PATH"]).resolve()))
    app.config.update(values, MAX_CONTENT_LENGTH=values["MAX_BODY_BYTES"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True, mode=0o700)
    url = values["DATABASE_URL"] or f"sqlite:///{app.instance_path}/witness.db"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}
    demo_or_test = values["DEBUG"] or values["TESTING"]
    app.extensions["witness.key"] = load_key(app.instance_path, values["NAME"], demo_or_test)
    app.extensions["witness.logs"] = load_logs(values["LOGS_FILE"], values.get("LOGS"))
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)
        db.create_all()  # a small schema of its own (models.py)
    app.register_blueprint(bp)
    app.add_template_filter(_utc, "utc")
    register_error_handlers(app)
    app.after_request(_security_headers)
    return app


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # the status page reads while a poll writes
    cursor.close()


def _utc(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _security_headers(response: Response) -> Response:
    """Nothing loaded, no framing, no sniffing, no caching: the pages are plain HTML."""
    response.headers.setdefault(
        "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"
    )
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    return response
