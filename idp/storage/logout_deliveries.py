"""The back-channel logout outbox: claiming an attempt, and the deliveries that are due."""

from __future__ import annotations

import sqlalchemy as sa

from .models import LogoutDelivery
from .models import now
from .transaction import db
from .transaction import rows_changed


def claim_attempt(delivery: LogoutDelivery, next_attempt_at: int) -> bool:
    """Take the delivery's next attempt, atomically: two nodes never send the same attempt."""
    statement = (
        sa.update(LogoutDelivery)
        .where(
            LogoutDelivery.id == delivery.id,
            LogoutDelivery.attempts == delivery.attempts,
            LogoutDelivery.next_attempt_at <= now(),
        )
        .values(attempts=delivery.attempts + 1, next_attempt_at=next_attempt_at)
    )
    return rows_changed(statement) == 1


def due(max_attempts: int, limit: int) -> list[int]:
    """Undelivered deliveries whose time has come and whose attempts are not used up."""
    return list(
        db.session.execute(
            sa.select(LogoutDelivery.id)
            .where(
                LogoutDelivery.delivered_at.is_(None),
                LogoutDelivery.attempts < max_attempts,
                LogoutDelivery.next_attempt_at <= now(),
            )
            .limit(limit)
        ).scalars()
    )
