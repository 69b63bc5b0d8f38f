"""Interactions: finished exactly once, even with two tabs or two nodes racing."""

from __future__ import annotations

import sqlalchemy as sa

from .models import Interaction
from .models import now
from .transaction import rows_changed


def claim_finish(uid: str) -> bool:
    """Mark the interaction finished; False if it already was. The caller commits."""
    statement = (
        sa.update(Interaction)
        .where(Interaction.uid == uid, Interaction.finished_at.is_(None))
        .values(finished_at=now())
    )
    return rows_changed(statement) == 1
