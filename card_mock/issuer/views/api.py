"""The verifier API: holder attributes for the broker, reset-code redemption for the bridge.

Every call is rate-limited per client address, authenticated as a registered verifier, and
recorded (who, which endpoint, which subject, the status; never a credential).
"""

from __future__ import annotations

import logging

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import g
from flask import jsonify
from flask import request

from .. import ratelimit
from .. import reset_codes
from ..card_admin import so_pin_for
from ..errors import Forbidden
from ..errors import IssuerError
from ..errors import NotFound
from ..errors import RateLimited
from ..errors import Unauthenticated
from ..extensions import db
from ..holders import load_holder
from ..holders import verified_attributes
from ..identifiers import is_eid
from ..models import ApiCall
from ..models import now
from ..verifiers import HOLDERS_READ
from ..verifiers import RESET_CODES_VERIFY
from ..verifiers import Verifier
from ..verifiers import authenticate

bp = Blueprint("api", __name__, url_prefix="/api")
log = logging.getLogger("card_mock.issuer.api")


class InvalidCode(IssuerError):
    """The reset code is wrong, expired, already used, or for another card."""

    code = "invalid_code"


def check_verifier(permission: str) -> Verifier:
    """Rate-limit, authenticate and authorise the calling verifier; raise if any fails."""
    address = request.remote_addr or "unknown"
    if not ratelimit.allow("api", address, current_app.config["API_RATE_LIMIT_PER_MINUTE"]):
        raise RateLimited()
    verifier = authenticate(request.authorization, current_app.extensions["card.verifiers"])
    if verifier is None:
        raise Unauthenticated()
    g.api_verifier_id = verifier.id  # read only by record_call below, in this blueprint
    if permission not in verifier.permissions:
        raise Forbidden()
    return verifier


@bp.get("/holders/<eid>")
def holder(eid: str) -> Response:
    """A holder's verified attributes, by electronic identification number."""
    check_verifier(HOLDERS_READ)
    found = load_holder(eid) if is_eid(eid) else None
    if found is None:
        raise NotFound()
    return jsonify(verified_attributes(found))


@bp.post("/reset-codes/verify")
def verify_reset_code() -> Response:
    """Consume a one-time reset code for a card; release the card's SO PIN once it holds."""
    check_verifier(RESET_CODES_VERIFY)
    body = request.get_json(silent=True) or {}
    serial, code = body.get("card_serial"), body.get("code")
    if not isinstance(serial, str) or not isinstance(code, str) or len(code) > 40:
        raise IssuerError()
    if not reset_codes.consume(serial, code):
        raise InvalidCode()
    # The bridge needs the SO PIN for C_InitPIN, so the citizen can set a new PIN on the card.
    admin_key = current_app.extensions["card.issuer"].admin_key
    return jsonify(card_serial=serial, verified=True, so_pin=so_pin_for(admin_key, serial))


@bp.after_request
def record_call(response: Response) -> Response:
    """Record every API call, answered or refused."""
    subject = (request.view_args or {}).get("eid")
    if subject is None and request.is_json:
        subject = str((request.get_json(silent=True) or {}).get("card_serial", ""))[:40] or None
    verifier_id = g.get("api_verifier_id")
    db.session.rollback()  # a refused call may have left a failed transaction behind
    db.session.add(
        ApiCall(
            at=now(),
            verifier_id=verifier_id,
            endpoint=request.endpoint or request.path[:40],
            subject=subject,
            status=response.status_code,
            address=request.remote_addr,
        )
    )
    db.session.commit()
    log.info(
        "api.called endpoint=%s verifier=%s subject=%s status=%s",
        request.endpoint,
        verifier_id,
        subject,
        response.status_code,
    )
    return response
