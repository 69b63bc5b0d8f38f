"""What every response of a bank shares: security headers, language, branding, the scenario gate."""

from __future__ import annotations

import time
from pathlib import Path

from flask import Flask
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request

from silta_common import i18n
from silta_common import web

from . import scenarios
from .errors import BankUnavailable
from .extensions import babel
from .pages import content_security_policy
from .pages import current_bank

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# The operator's switch must work while the bank plays dead, or `down` could not be undone.
UNGATED_ENDPOINTS = frozenset({"demo.scenario"})
# The screens' URLs carry the login's uid: no Referer may take it to the client.
add_security_headers = web.security_headers(content_security_policy())


def init_app(app: Flask) -> None:
    """Install the scenario gate, the pages' language and branding, and the security headers."""
    i18n.init_app(app, babel, TRANSLATIONS)
    web.init_app(app)
    app.context_processor(lambda: {"bank": current_bank()})
    app.before_request(scenario_gate)
    app.after_request(add_security_headers)


def scenario_gate() -> Response | None:
    """Apply `slow` and `down` to every endpoint, discovery, JWKS and /healthz included."""
    scenario = scenarios.bank_wide()
    if scenario is None or request.endpoint in UNGATED_ENDPOINTS:
        return None
    if scenario.delay:
        time.sleep(current_app.config["SLOW_SECONDS"])
    if scenario.unavailable:
        if request.path == "/healthz":
            down = jsonify(status="down")
            down.status_code = 503
            return down
        raise BankUnavailable()
    return None
