"""The durable wrong-attempt counter that locks a customer (ARCHITECTURE §6: bounded guessing)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from .extensions import db
from .models import Customer
from .models import now


def record_failure(customer_id: int) -> bool:
    """Count one wrong attempt in a single atomic UPDATE; True if it locked the customer.

    The MAX_FAILURES-th failure in a row locks the customer for LOCKOUT_SECONDS and starts the
    count again, so the first wrong attempt after a lock expires does not lock at once.
    """
    config = current_app.config
    reaches_limit = Customer.failed_attempts + 1 >= config["MAX_FAILURES"]
    db.session.execute(
        sa.update(Customer)
        .where(Customer.id == customer_id)
        .values(
            failed_attempts=sa.case((reaches_limit, 0), else_=Customer.failed_attempts + 1),
            locked_until=sa.case(
                (reaches_limit, now() + config["LOCKOUT_SECONDS"]), else_=Customer.locked_until
            ),
        )
    )
    locked_until = db.session.scalar(
        sa.select(Customer.locked_until).where(Customer.id == customer_id)
    )
    return locked_until is not None and locked_until > now()


def reset(customer_id: int) -> None:
    """A successful login clears the count and any expired lock."""
    db.session.execute(
        sa.update(Customer)
        .where(Customer.id == customer_id)
        .values(failed_attempts=0, locked_until=None)
    )


def is_locked(customer: Customer) -> bool:
    """Whether the customer's lock is still running."""
    return customer.is_locked(now())
