"""What the authority says about a certificate: good, revoked (when, why) or unknown.

Revoked are the certificates of cards reported lost (reason keyCompromise: someone else may
hold the card) or revoked, and the certificates of issuance attempts that were rolled back
after a crash (reason cessationOfOperation: signed, never put into service). RFC 5280 §5.3.1:
the reason ``unspecified`` is never sent; the extension is left out instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime

import sqlalchemy as sa
from cryptography import x509

from .cards import certificate_serial_hex
from .extensions import db
from .models import LOST
from .models import REVOKED
from .models import ROLLED_BACK
from .models import Card
from .models import Issuance

GOOD, REVOKED_STATUS, UNKNOWN = "good", "revoked", "unknown"
REASONS: dict[str, x509.ReasonFlags | None] = {
    LOST: x509.ReasonFlags.key_compromise,
    REVOKED: None,
    ROLLED_BACK: x509.ReasonFlags.cessation_of_operation,
}


@dataclass(frozen=True)
class Revoked:
    """One revoked certificate: its serial number, when, and the reason if one is sent."""

    serial_number: int
    revoked_at: datetime
    reason: x509.ReasonFlags | None


def _when(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def revoked_certificates() -> list[Revoked]:
    """Every revoked certificate of the issuing CA, oldest revocation first."""
    found = [
        Revoked(int(serial, 16), _when(at), REASONS[status])
        for serial, at, status in db.session.execute(
            sa.select(Card.certificate_serial, Card.revoked_at, Card.status).where(
                Card.status.in_([REVOKED, LOST])
            )
        )
    ]
    found += [
        Revoked(int(serial, 16), _when(at), REASONS[ROLLED_BACK])
        for serial, at in db.session.execute(
            sa.select(Issuance.certificate_serial, Issuance.finished_at).where(
                Issuance.state == ROLLED_BACK, Issuance.certificate_serial.is_not(None)
            )
        )
    ]
    return sorted(found, key=lambda r: (r.revoked_at, r.serial_number))


def certificate_status(serial_number: int) -> tuple[str, Revoked | None]:
    """The status of the certificate with this serial number, as OCSP reports it."""
    key = certificate_serial_hex(serial_number)
    card = db.session.scalar(sa.select(Card).filter_by(certificate_serial=key))
    if card is not None:
        if card.status in (REVOKED, LOST):
            return REVOKED_STATUS, Revoked(
                serial_number, _when(card.revoked_at), REASONS[card.status]
            )
        return GOOD, None
    attempt = db.session.scalar(
        sa.select(Issuance).filter_by(certificate_serial=key, state=ROLLED_BACK)
    )
    if attempt is not None:
        return REVOKED_STATUS, Revoked(
            serial_number, _when(attempt.finished_at), REASONS[ROLLED_BACK]
        )
    return UNKNOWN, None
