"""PIN-reset authorisations: a one-time code per authorisation, redeemed once by the bridge.

A code is 12 characters of Crockford's base32 (60 bits), shown as ``XXXX-XXXX-XXXX``: no
I, L, O or U, and typing ``O`` for ``0`` or ``I``/``L`` for ``1`` still works. Only its
argon2id hash is stored; it expires after RESET_CODE_HOURS and is consumed by one conditional
UPDATE, so two redemptions racing each other succeed once. A new authorisation for a card
ends the card's earlier unused ones. No PIN passes through here: the citizen sets the new PIN
on the card, in the reader bridge.
"""

from __future__ import annotations

import logging
import secrets

import sqlalchemy as sa

from .extensions import db
from .models import ACTIVE
from .models import ResetAuthorisation
from .models import now
from .passwords import hash_secret
from .passwords import verify_secret

log = logging.getLogger("card_mock.issuer.reset_codes")
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
CODE_LENGTH, GROUP = 12, 4
TYPING_SLIPS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


class ResetRefused(RuntimeError):
    """The card cannot be authorised for a reset; the message says why."""


def new_code() -> str:
    """A fresh code, grouped for reading aloud and typing."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise(code: str) -> str:
    """The code as stored: upper case, no separators, common typing slips corrected."""
    return code.upper().translate(TYPING_SLIPS)


def authorise(card, official_id: str, hours: int) -> str:
    """Authorise a PIN reset of `card` (a models.Card) and return its one-time code."""
    if card.status != ACTIVE:
        raise ResetRefused(f"Card {card.serial} is {card.status}; issue a new card instead.")
    moment = now()
    db.session.execute(  # earlier unused codes for this card stop working
        sa.update(ResetAuthorisation)
        .where(
            ResetAuthorisation.card_serial == card.serial,
            ResetAuthorisation.used_at.is_(None),
            ResetAuthorisation.expires_at > moment,
        )
        .values(expires_at=moment)
    )
    code = new_code()
    db.session.add(
        ResetAuthorisation(
            card_serial=card.serial,
            official_id=official_id,
            code_hash=hash_secret(normalise(code)),
            created_at=moment,
            expires_at=moment + hours * 3600,
        )
    )
    db.session.commit()
    log.info("reset.authorised serial=%s official=%s", card.serial, official_id)
    return code


def consume(card_serial: str, code: str) -> bool:
    """Redeem a code for a card: True exactly once for a valid, unexpired, unused code."""
    moment = now()
    candidates = db.session.scalars(
        sa.select(ResetAuthorisation).where(
            ResetAuthorisation.card_serial == card_serial,
            ResetAuthorisation.used_at.is_(None),
            ResetAuthorisation.expires_at > moment,
        )
    ).all()
    typed = normalise(code)
    for authorisation in candidates:
        if not verify_secret(authorisation.code_hash, typed):
            continue
        result = db.session.execute(
            sa.update(ResetAuthorisation)
            .where(
                ResetAuthorisation.id == authorisation.id,
                ResetAuthorisation.used_at.is_(None),
                ResetAuthorisation.expires_at > moment,
            )
            .values(used_at=moment)
        )
        db.session.commit()
        if result.rowcount == 1:
            log.info("reset.code_consumed serial=%s", card_serial)
            return True
    db.session.rollback()
    return False
