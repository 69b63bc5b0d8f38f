"""One error tree for the witness, rendered in one place: plain text on the C2SP
``add-checkpoint`` endpoint, JSON elsewhere; unexpected errors get a logged error id.

Kept apart from the views, in the per-app style of card_mock/issuer/errors.py, so that it moves
onto the shared chassis' error base in one step.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask
from flask import Response
from flask import jsonify
from flask import request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("silta.witness")
TEXT_PATHS = frozenset({"/add-checkpoint"})
SIZE_TYPE = "text/x.tlog.size"  # C2SP tlog-witness §add-checkpoint, for 409


class WitnessError(Exception):
    """A refusal with a code, an HTTP status and a sentence saying why."""

    status = 400
    code = "bad_request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Malformed(WitnessError):
    """The request, checkpoint or proof cannot be read."""

    code = "malformed"


class UnknownOrigin(WitnessError):
    """tlog-witness: an unknown checkpoint origin is answered 404."""

    status = 404
    code = "unknown_origin"


class BadSignature(WitnessError):
    """tlog-witness: no signature verifies against the origin's keys: 403."""

    status = 403
    code = "bad_signature"


class Conflict(WitnessError):
    """tlog-witness: the old size is not the latest cosigned size, which the body gives."""

    status = 409
    code = "conflict"

    def __init__(self, detail: str, size: int) -> None:
        super().__init__(detail)
        self.size = size


class Fork(WitnessError):
    """A checkpoint of a size already cosigned, with another root hash."""

    status = 409
    code = "fork"


class Rollback(WitnessError):
    """A log's latest checkpoint is smaller than one this witness cosigned."""

    status = 409
    code = "rollback"


class InconsistentProof(WitnessError):
    """tlog-witness: a consistency proof that does not verify is answered 422."""

    status = 422
    code = "inconsistent_proof"


class Unauthorized(WitnessError):
    """The operator's bearer token is missing or wrong."""

    status = 401
    code = "unauthorized"


def render(status: int, code: str, detail: str) -> Response:
    """Text on add-checkpoint (its clients read status codes), JSON elsewhere."""
    if request.path in TEXT_PATHS:
        response = Response(detail + "\n", status=status, mimetype="text/plain")
    else:
        response = jsonify(error=code, error_description=detail)
        response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="silta-witness"'
    return response


def register_error_handlers(app: Flask) -> None:
    """Route every error to one renderer."""

    @app.errorhandler(WitnessError)
    def witness_error(error: WitnessError) -> Response:
        if isinstance(error, Conflict) and request.path in TEXT_PATHS:
            return Response(f"{error.size}\n", status=409, content_type=SIZE_TYPE)
        return render(error.status, error.code, error.detail)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        name = (error.name or "error").lower().replace(" ", "_")
        return render(error.code or 500, name, error.description or name)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        error_id = secrets.token_hex(6)
        log.exception("error.unexpected id=%s %s %s", error_id, request.method, request.path)
        return render(500, "server_error", f"Unexpected error {error_id}; it has been logged.")
