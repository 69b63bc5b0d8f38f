"""Per-address limit on login form posts, counted per minute in the database."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from .extensions import db
from .models import RateLimitWindow
from .models import now
from .models import upsert


def allow(address: str) -> bool:
    """Count one login post from `address`; False once the minute's limit is passed.

    The count is an atomic upsert, committed at once, so it holds across threads, restarts and
    requests that fail later.
    """
    minute = now() // 60
    db.session.execute(
        upsert(RateLimitWindow)
        .values(address=address, minute=minute, hits=1)
        .on_conflict_do_update(
            index_elements=["address", "minute"], set_={"hits": RateLimitWindow.hits + 1}
        )
    )
    hits = db.session.scalar(
        sa.select(RateLimitWindow.hits).filter_by(address=address, minute=minute)
    )
    db.session.execute(sa.delete(RateLimitWindow).where(RateLimitWindow.minute < minute - 1))
    db.session.commit()
    return hits <= current_app.config["RATE_LIMIT_PER_MINUTE"]
