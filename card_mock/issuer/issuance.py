"""Card issuance as a journaled, crash-safe sequence, and the recovery that finishes it.

Each attempt is written to the journal (``issuance`` table) before its first irreversible
step, and the certificate before it leaves the CA. A card counts as issued only when one
transaction adds its ``card`` row and marks the attempt ``issued``. ``recover`` runs at every
start-up and before every issuance, under the token folder's lock (so only dead attempts are
seen): every unfinished attempt is rolled back — its token voided (wiped and relabelled
``silta-void-<serial>``) and, if a certificate was signed, that certificate revoked by being
kept on the CRL (crl.py). Killing the process at any point thus leaves the card either fully
issued or not issued, and the holder may be issued a card again.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from ..token import Card
from ..token import TokenError
from ..token import TokenStore
from ..token import card_label
from ..token.store import CARD_LABEL_PREFIX
from ..token.store import VOID_LABEL_PREFIX
from . import models
from .ca import Authority
from .card_admin import so_pin_for
from .card_profile import AuthorityUrls
from .card_profile import CardHolder
from .card_profile import card_certificate
from .cards import certificate_serial_hex
from .extensions import db
from .holders import load_holder

log = logging.getLogger("card_mock.issuer.issuance")

# The checkpoints a crash test may stop at, in order (tests/card_mock/test_issuance_crash.py).
STEPS = (
    "journaled",
    "token_initialised",
    "key_generated",
    "certificate_made",
    "certificate_stored",
    "committed",
)
DEMO_PIN = re.compile(r"\d{4,12}")  # like a real card's PIN: 4 to 12 digits
Checkpoint = Callable[[str], None]


class IssuanceError(RuntimeError):
    """The card cannot be issued; the message says why (never with the PIN)."""


@dataclass(frozen=True)
class Issuer:
    """What issuance needs: the CA, the URLs it certifies, the cards' tokens, the admin key."""

    authority: Authority
    urls: AuthorityUrls
    tokens: TokenStore
    admin_key: bytes


def issue(
    issuer: Issuer, eid: str, pin: str, algorithm: str, checkpoint: Checkpoint | None = None
) -> models.Card:
    """Issue a card to the holder with this eID number: key on the token, certificate, record."""
    step = checkpoint or (lambda _name: None)
    if not DEMO_PIN.fullmatch(pin):
        raise IssuanceError("The PIN must be 4 to 12 digits.")
    holder = load_holder(eid)
    if holder is None:
        raise IssuanceError(f"No holder has the eID number {eid}.")
    with issuer.tokens.lock():
        recover(issuer)
        journal = models.Issuance(
            serial=_new_serial(),
            holder_id=holder.id,
            key_algorithm=algorithm,
            state=models.JOURNALED,
            started_at=models.now(),
        )
        db.session.add(journal)
        db.session.commit()
        step("journaled")
        so_pin = so_pin_for(issuer.admin_key, journal.serial)
        token = issuer.tokens.initialise(card_label(journal.serial), so_pin)
        with Card.open(token, so_pin=so_pin) as card:
            card.set_initial_pin(pin)
        step("token_initialised")
        with Card.open(token, pin=pin) as card:
            public_key = card.generate_key(algorithm)
            step("key_generated")
            named = CardHolder(holder.eid, holder.given_name, holder.family_name)
            certificate = card_certificate(public_key, named, issuer.authority.issuing, issuer.urls)
            _journal_certificate(journal, certificate)
            step("certificate_made")
            card.store_certificate(certificate)
            step("certificate_stored")
        issued = _commit(journal, certificate)
        step("committed")
    log.info("card.issued serial=%s eid=%s", issued.serial, holder.eid)
    return issued


def _new_serial() -> str:
    """A fresh ten-digit card serial, as printed on the card."""
    while True:
        serial = str(10**9 + secrets.randbelow(9 * 10**9))
        if db.session.get(models.Issuance, serial) is None:
            return serial


def _journal_certificate(journal: models.Issuance, certificate: x509.Certificate) -> None:
    journal.certificate = certificate.public_bytes(Encoding.DER)
    journal.certificate_serial = certificate_serial_hex(certificate.serial_number)
    journal.state = models.SIGNED
    db.session.commit()


def _commit(journal: models.Issuance, certificate: x509.Certificate) -> models.Card:
    card = models.Card(
        serial=journal.serial,
        holder_id=journal.holder_id,
        certificate=journal.certificate,
        certificate_serial=certificate_serial_hex(certificate.serial_number),
        key_algorithm=journal.key_algorithm,
        status=models.ACTIVE,
        issued_at=models.now(),
    )
    db.session.add(card)
    journal.state = models.ISSUED
    journal.finished_at = models.now()
    db.session.commit()  # the card row and the journal's `issued` land together or not at all
    return card


def recover(issuer: Issuer) -> int:
    """Roll back every unfinished attempt and void stray card tokens; return how many.

    Call it holding ``issuer.tokens.lock()``: attempts still running elsewhere hold that lock.
    """
    issuer.tokens.refresh()  # see the tokens that processes which died here had made
    unfinished = db.session.scalars(
        sa.select(models.Issuance).where(
            models.Issuance.state.in_([models.JOURNALED, models.SIGNED])
        )
    ).all()
    for journal in unfinished:
        _void(issuer, journal.serial)  # the token first: a crash here just repeats this
        journal.state = models.ROLLED_BACK
        journal.finished_at = models.now()
        db.session.commit()
        log.warning("card.issuance_rolled_back serial=%s", journal.serial)
    issued = set(db.session.scalars(sa.select(models.Card.serial)))
    for label in issuer.tokens.labels(CARD_LABEL_PREFIX):
        serial = label.removeprefix(CARD_LABEL_PREFIX)
        if serial not in issued:
            _void(issuer, serial)
            log.warning("card.stray_token_voided serial=%s", serial)
    return len(unfinished)


def _void(issuer: Issuer, serial: str) -> None:
    try:
        issuer.tokens.void(
            card_label(serial), so_pin_for(issuer.admin_key, serial), VOID_LABEL_PREFIX + serial
        )
    except TokenError:
        log.exception("card.void_failed serial=%s", serial)
