"""One error tree for the witness, on silta_common's base, shown in one place: plain text on
the C2SP ``add-checkpoint`` endpoint (its clients read status codes), JSON everywhere else; every
error shown gets an error id that is also logged.
"""

from __future__ import annotations

import logging
from types import MappingProxyType
from typing import Any

from flask import Flask
from flask import Response
from flask import request

from silta_common.errors import ErrorPages
from silta_common.errors import SiltaError
from silta_common.errors import register_error_handlers as register_common_handlers

log = logging.getLogger("silta.witness")
TEXT_PATHS = frozenset({"/add-checkpoint"})
SIZE_TYPE = "text/x.tlog.size"  # C2SP tlog-witness §add-checkpoint, for 409


class WitnessError(SiltaError):
    """A refusal with a code, an HTTP status and a sentence saying why (``detail``)."""

    message = "The request could not be understood."
    detail: str  # every refusal of the witness says why

    def __init__(self, detail: str, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)


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
    """The operator's bearer token is missing or wrong (RFC 6750 §3: its challenge)."""

    status = 401
    code = "unauthorized"
    headers = MappingProxyType({"WWW-Authenticate": 'Bearer realm="silta-witness"'})


PAGES = ErrorPages.of(
    WitnessError,
    form_expired="The form has expired.",
    not_found="No such endpoint.",
    unexpected="Unexpected error; it has been logged.",
)


def _text(error: SiltaError, error_id: str) -> Response:
    """add-checkpoint's answers: the sentence, or on a conflict the latest cosigned size."""
    if isinstance(error, Conflict):
        return Response(f"{error.size}\n", content_type=SIZE_TYPE)
    detail = error.detail or f"{error.message} (error id {error_id})"
    return Response(detail + "\n", mimetype="text/plain")


def _wants_json() -> bool:
    return request.path not in TEXT_PATHS


def register_error_handlers(app: Flask) -> None:
    """Route every error to one place: text on add-checkpoint, JSON elsewhere."""
    register_common_handlers(
        app, WitnessError, PAGES, render=_text, wants_json=_wants_json, log=log
    )
