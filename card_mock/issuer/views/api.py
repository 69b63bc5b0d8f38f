"""The API: holder attributes for the broker, reset codes for the bridge, cards for operators.

Every call is rate-limited per client address, authenticated as a registered verifier, and
recorded (who, which endpoint, which subject, the status; never a credential or a PIN).

The operator endpoints (``/api/cards``) serve `silta card` on the broker's side, which may not
import this package (ARCHITECTURE §2). Issuing takes the card's initial PIN: it stands in for
the sealed PIN letter a real authority prints, goes only to this authority, which sets it on the
token, and is never stored or logged. A reset authorisation returns only the one-time code for
the citizen, as the desk does: no PIN is seen, typed or chosen by the operator.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import g
from flask import jsonify
from flask import request

from ...token import KEY_ALGORITHMS
from .. import cards
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
from ..issuance import DEMO_PIN
from ..issuance import issue
from ..models import LOST
from ..models import REVOKED
from ..models import ApiCall
from ..models import Card
from ..models import Holder
from ..models import now
from ..verifiers import CARDS_ISSUE
from ..verifiers import CARDS_READ
from ..verifiers import CARDS_RESET
from ..verifiers import CARDS_REVOKE
from ..verifiers import HOLDERS_READ
from ..verifiers import RESET_CODES_VERIFY
from ..verifiers import Verifier
from ..verifiers import authenticate

bp = Blueprint("api", __name__, url_prefix="/api")
log = logging.getLogger("card_mock.issuer.api")


CARD_SERIAL = re.compile(r"\d{10}")


class InvalidCode(IssuerError):
    """The reset code is wrong, expired, already used, or for another card."""

    code = "invalid_code"


class InvalidPin(IssuerError):
    """The initial PIN is not 4 to 12 digits."""

    code = "invalid_pin"


class UnknownHolder(IssuerError):
    """No holder in the register has this eID number."""

    status = 404
    code = "unknown_holder"


class IdentityNotChecked(IssuerError):
    """A reset needs the operator's confirmation that the holder was identified in person."""

    code = "identity_not_checked"


class CardNotActive(IssuerError):
    """The card is revoked or lost: it cannot be reset, only replaced."""

    status = 409
    code = "card_not_active"


def check_verifier(permission: str) -> Verifier:
    """Rate-limit, authenticate and authorise the calling verifier; raise if any fails.

    Guessing is bounded per client address (failed authentications); a registered verifier's
    calls are bounded per verifier, so a broker's many logins behind one address are not
    mistaken for an attack.
    """
    address = request.remote_addr or "unknown"
    limit = current_app.config["API_RATE_LIMIT_PER_MINUTE"]
    if ratelimit.exceeded("api-failed", address, limit):
        raise RateLimited()
    verifier = authenticate(request.authorization, current_app.extensions["card.verifiers"])
    if verifier is None:
        ratelimit.allow("api-failed", address, limit)
        raise Unauthenticated()
    if not ratelimit.allow(
        "api-verifier", verifier.id, current_app.config["VERIFIER_RATE_LIMIT_PER_MINUTE"]
    ):
        raise RateLimited()
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


def json_object() -> dict:
    """The request's JSON object body; a clear 400 for anything else."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise IssuerError()
    return body


def load_card_or_404(serial: str) -> Card:
    """The card with this ten-digit serial, or a 404."""
    found = cards.load_card(serial) if CARD_SERIAL.fullmatch(serial) else None
    if found is None:
        raise NotFound()
    return found


def describe(card: Card, holder: Holder) -> dict:
    """A card as the operator API shows it (no key material, no PIN)."""
    return {
        "serial": card.serial,
        "holder": holder.eid,
        "name": f"{holder.given_name} {holder.family_name}",
        "status": card.status,
        "key_algorithm": card.key_algorithm,
        "issued_at": card.issued_at,
        "revoked_at": card.revoked_at,
    }


@bp.get("/cards")
def list_cards() -> Response:
    """Every issued card with its status, newest first; ``?holder=<eid>`` narrows to one holder."""
    check_verifier(CARDS_READ)
    wanted = request.args.get("holder")
    rows = [describe(c, h) for c, h in cards.list_cards() if wanted in (None, h.eid)]
    return jsonify(cards=rows)


@bp.post("/cards")
def issue_card() -> Response:
    """Issue a card to a holder with an initial PIN (the PIN letter's stand-in); 201."""
    operator = check_verifier(CARDS_ISSUE)
    body = json_object()
    eid, pin, algorithm = body.get("holder"), body.get("pin"), body.get("algorithm")
    if not isinstance(eid, str) or (algorithm is not None and algorithm not in KEY_ALGORITHMS):
        raise IssuerError()
    if not isinstance(pin, str) or not DEMO_PIN.fullmatch(pin):
        raise InvalidPin()
    holder = load_holder(eid) if is_eid(eid) else None
    if holder is None:
        raise UnknownHolder()
    parts = current_app.extensions["card.issuer"]
    issued = issue(parts, eid, pin, algorithm or current_app.config["KEY_ALGORITHM"])
    log.info("card.issued_by_operator serial=%s operator=%s", issued.serial, operator.id)
    response = jsonify(describe(issued, holder))
    response.status_code = 201
    response.headers["Location"] = f"/api/cards/{issued.serial}"
    return response


@bp.get("/cards/<serial>")
def show_card(serial: str) -> Response:
    """One card and its status."""
    check_verifier(CARDS_READ)
    card = load_card_or_404(serial)
    return jsonify(describe(card, db.session.get(Holder, card.holder_id)))


@bp.post("/cards/<serial>/revoke")
def revoke_card(serial: str) -> Response:
    """Revoke a card at once, as ``lost`` or ``revoked``; says whether this call changed it."""
    check_verifier(CARDS_REVOKE)
    reason = json_object().get("reason", REVOKED)
    if reason not in (LOST, REVOKED):
        raise IssuerError()
    card = load_card_or_404(serial)
    changed = cards.revoke(card.serial, reason)
    db.session.refresh(card)
    return jsonify(changed=changed, **describe(card, db.session.get(Holder, card.holder_id)))


@bp.post("/cards/<serial>/reset-authorisations")
def authorise_reset(serial: str) -> Response:
    """Authorise a PIN reset after an identity check in person; return the citizen's code once."""
    operator = check_verifier(CARDS_RESET)
    if json_object().get("identity_checked") is not True:  # the desk's tick box, forms.py
        raise IdentityNotChecked()
    card = load_card_or_404(serial)
    hours = current_app.config["RESET_CODE_HOURS"]
    try:
        code = reset_codes.authorise(card, operator.id, hours)
    except reset_codes.ResetRefused:
        raise CardNotActive() from None
    response = jsonify(card_serial=card.serial, code=code, expires_in=hours * 3600)
    response.status_code = 201
    return response


@bp.after_request
def record_call(response: Response) -> Response:
    """Record every API call, answered or refused."""
    args = request.view_args or {}
    subject = args.get("eid") or args.get("serial")
    body = request.get_json(silent=True) if request.is_json else None
    if subject is None and isinstance(body, dict):  # never the PIN: only who or which card
        subject = str(body.get("card_serial") or body.get("holder") or "")[:40] or None
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
