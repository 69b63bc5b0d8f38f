"""What every response of a bank shares: security headers, and the bank-wide scenario's gate."""

from __future__ import annotations

import time

from flask import Flask
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request

from . import scenarios
from .errors import BankUnavailable
from .pages import content_security_policy

# The operator's switch must work while the bank plays dead, or `down` could not be undone.
UNGATED_ENDPOINTS = frozenset({"demo.scenario"})


def init_app(app: Flask) -> None:
    """Install the scenario gate and the security headers."""
    app.before_request(scenario_gate)
    app.after_request(security_headers)


def scenario_gate() -> Response | None:
    """Apply `slow` and `down` to every endpoint, discovery, JWKS and /healthz included."""
    scenario = scenarios.bank_wide()
    if scenario is None or request.endpoint in UNGATED_ENDPOINTS:
        return None
    if scenario.delay:
        time.sleep(current_app.config["SLOW_SECONDS"])
    if scenario.unavailable:
        if request.path == "/healthz":
            return jsonify(status="down"), 503
        raise BankUnavailable()
    return None


def security_headers(response: Response) -> Response:
    """Deny framing, sniffing and referrers; send the default CSP; keep pages out of caches."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # The screens' URLs carry the login's uid: no Referer may take it to the client.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
