"""The citizen's login: customer number and password, then the key code, judged together.

The first screen never says whether anything was wrong: the answer comes after the key code,
one generic message for every wrong part (ARCHITECTURE §6). A locked customer's password is
not checked at all, so an attempt while locked reveals nothing.
"""

from __future__ import annotations

import enum

from . import lockout
from . import scenarios
from . import totp
from . import transactions as tx_store
from .extensions import db
from .models import Customer
from .models import LoginTransaction
from .models import now
from .passwords import verify_password


class Outcome(enum.Enum):
    """What a login step decided, for the view to render or redirect."""

    NEXT = "next"  # go on to the next screen
    FAILED = "failed"  # start again, with the one generic message
    LOCKED = "locked"
    DENIED = "denied"  # logged in, but the customer's scenario refuses (access_denied)


def _customer(customer_number: str) -> Customer | None:
    if not (len(customer_number) == 8 and customer_number.isascii() and customer_number.isdigit()):
        return None
    query = db.select(Customer).filter_by(customer_number=customer_number)
    return db.session.execute(query).scalar_one_or_none()


def submit_password(tx: LoginTransaction, customer_number: str, password: str) -> Outcome:
    """Remember whether the pair matched, server-side, and move on to the key code."""
    customer = _customer(customer_number.strip())
    if customer is not None and lockout.is_locked(customer):
        return Outcome.LOCKED
    matched = verify_password(customer.password_hash if customer else None, password)
    tx_store.advance(
        tx,
        tx_store.CODE,
        tx_store.PASSWORD,
        tx_store.CODE,
        customer_id=customer.id if customer else None,
        password_ok=matched,
    )
    db.session.commit()
    return Outcome.NEXT


def submit_code(tx: LoginTransaction, code: str) -> Outcome:
    """Judge password and key code together; count a failure, or log the customer in."""
    customer = db.session.get(Customer, tx.customer_id) if tx.customer_id else None
    restart = dict(customer_id=None, password_ok=False)
    if customer is not None and lockout.is_locked(customer):
        tx_store.advance(tx, tx_store.PASSWORD, tx_store.CODE, **restart)
        db.session.commit()
        return Outcome.LOCKED
    if customer is not None and tx.password_ok and totp.verify(customer.totp_secret, code.strip()):
        lockout.reset(customer.id)
        tx_store.advance(tx, tx_store.RELEASE, tx_store.CODE, auth_time=now())
        db.session.commit()
        scenario = scenarios.for_customer(customer.scenario)
        return Outcome.DENIED if scenario and scenario.deny_after_login else Outcome.NEXT
    locked = lockout.record_failure(customer.id) if customer is not None else False
    tx_store.advance(tx, tx_store.PASSWORD, tx_store.CODE, **restart)
    db.session.commit()
    return Outcome.LOCKED if locked else Outcome.FAILED
