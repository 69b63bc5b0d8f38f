"""The broker's signing keys as rows."""

from __future__ import annotations

import sqlalchemy as sa

from .models import SigningKey
from .transaction import db


def all_keys() -> list[SigningKey]:
    """Every signing key, whatever its state, oldest first."""
    return list(db.session.execute(sa.select(SigningKey).order_by(SigningKey.created_at)).scalars())


def algs_with_current_key() -> set[str]:
    """The algorithms that have a key in state current."""
    found = db.session.execute(sa.select(SigningKey.alg).where(SigningKey.state == "current"))
    return set(found.scalars())
