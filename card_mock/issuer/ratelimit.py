"""Per-address limits, counted per bucket and minute in the register's database."""

from __future__ import annotations

import sqlalchemy as sa

from .extensions import db
from .models import RateLimitWindow
from .models import now
from .models import upsert


def allow(bucket: str, address: str, limit: int) -> bool:
    """Count one request from `address` in `bucket`; False once the minute's limit is passed.

    An atomic upsert committed at once, so the count holds across threads and processes.
    """
    minute = now() // 60
    db.session.execute(
        upsert(RateLimitWindow)
        .values(address=address, bucket=bucket, minute=minute, hits=1)
        .on_conflict_do_update(
            index_elements=["address", "bucket", "minute"],
            set_={"hits": RateLimitWindow.hits + 1},
        )
    )
    hits = db.session.scalar(
        sa.select(RateLimitWindow.hits).filter_by(address=address, bucket=bucket, minute=minute)
    )
    db.session.execute(sa.delete(RateLimitWindow).where(RateLimitWindow.minute < minute - 1))
    db.session.commit()
    return hits <= limit


def exceeded(bucket: str, address: str, limit: int) -> bool:
    """Whether `address` already passed this minute's limit in `bucket`, without counting."""
    hits = db.session.scalar(
        sa.select(RateLimitWindow.hits).filter_by(
            address=address, bucket=bucket, minute=now() // 60
        )
    )
    return (hits or 0) >= limit
