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

from flask import Flask

from silta_common import database
from silta_common import web

from . import config as settings

PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'"


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
    demo_or_test = values["DEBUG"] or values["TESTING"]
    app.extensions["witness.key"] = load_key(app.instance_path, values["NAME"], demo_or_test)
    app.extensions["witness.logs"] = load_logs(values["LOGS_FILE"], values.get("LOGS"))
    database.bind(app, db, "witness.db")
    with app.app_context():
        db.create_all()  # a small schema of its own (models.py)
    app.register_blueprint(bp)
    app.add_template_filter(_utc, "utc")
    register_error_handlers(app)
    # Nothing loaded, no framing, no sniffing, nothing cached: the pages are plain HTML.
    app.after_request(
        web.security_headers("default-src 'none'; frame-ancestors 'none'", no_store_but=())
    )
    return app


def _utc(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
