"""The request id: one per request, sent back, in every log line of it, and on its error page.

Behind a load balancer that sets ``X-Request-Id`` (nginx: ``proxy_set_header X-Request-Id
$request_id``) the broker reuses that id, so the balancer's and the nodes' log lines of one
request share it. The header is trusted only when ``TRUST_REQUEST_ID`` says a balancer
overwrites it, and even then only when it is short and plain; otherwise the broker makes one.
"""

from __future__ import annotations

import re
import secrets

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import has_request_context
from flask import request

HEADER = "X-Request-Id"
# Bounded and plain, so it is safe in a header, a log line and a page: nginx's $request_id is
# 32 hex digits, a UUID is 36 characters; anything else is replaced, never echoed.
ACCEPTED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")


def init_app(app: Flask) -> None:
    app.after_request(_send)


def current() -> str | None:
    """This request's id, made on first use; None outside a request."""
    if not has_request_context():
        return None
    made = g.get("request_id")
    if made is None:
        made = g.request_id = _taken() or secrets.token_hex(16)
    return made


def _taken() -> str | None:
    if not current_app.config["TRUST_REQUEST_ID"]:
        return None
    offered = request.headers.get(HEADER, "")
    return offered if ACCEPTED.fullmatch(offered) else None


def _send(response: Response) -> Response:
    response.headers[HEADER] = current()
    return response
