"""The card register: listing, looking up by serial or certificate serial, revoking."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from .extensions import db
from .models import ACTIVE
from .models import LOST
from .models import REVOKED
from .models import Card
from .models import Holder
from .models import now

log = logging.getLogger("card_mock.issuer.cards")


class UnknownCard(LookupError):
    """No issued card has this serial."""


def list_cards() -> list[tuple[Card, Holder]]:
    """Every issued card with its holder, newest first."""
    query = sa.select(Card, Holder).join(Holder).order_by(Card.issued_at.desc(), Card.serial)
    return [(card, holder) for card, holder in db.session.execute(query)]


def load_card(serial: str) -> Card | None:
    """The issued card with this serial, or None."""
    return db.session.get(Card, serial)


def certificate_serial_hex(number: int) -> str:
    """How certificate serials are stored: lower-case hex without leading zeros."""
    return format(number, "x")


def revoke(serial: str, status: str = REVOKED) -> bool:
    """Revoke a card at once (status revoked or lost); False if it was already revoked.

    One conditional UPDATE, so two concurrent reports revoke once and keep the first time.
    """
    if status not in (REVOKED, LOST):
        raise ValueError(f"A card is revoked as {REVOKED} or {LOST}, not {status!r}.")
    if load_card(serial) is None:
        raise UnknownCard(serial)
    result = db.session.execute(
        sa.update(Card)
        .where(Card.serial == serial, Card.status == ACTIVE)
        .values(status=status, revoked_at=now())
    )
    db.session.commit()
    if result.rowcount:
        log.info("card.revoked serial=%s status=%s", serial, status)
    return bool(result.rowcount)


def card_of_holder(serial: str, national_id: str) -> Card | None:
    """The card with this serial if it belongs to the holder with this HETU, else None."""
    return db.session.scalar(
        sa.select(Card).join(Holder).where(Card.serial == serial, Holder.national_id == national_id)
    )
