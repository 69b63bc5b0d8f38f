"""The Benefits Office's one-off payment: one application per person, decided by a clear rule.

A person is this service's pairwise `sub`. The table's unique constraint on `sub` is what makes
"one per person" true under two tabs, a double click or a crash between submit and answer; the
form's idempotency key makes a repeated post of the same form find the same application.
The rule: every application is granted, automatically, `decision_seconds` after it arrived.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import sqlalchemy as sa

from .extensions import db
from .models import Application

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
RECEIVED = "received"
DECIDED = "decided"


class BadIdempotencyKey(ValueError):
    """The form's idempotency key is missing, malformed, or another person's."""


@dataclass(frozen=True)
class Status:
    status: str  # RECEIVED or DECIDED
    decided_at: int  # when the rule decides (or decided) it
    decision: str | None  # "granted" once decided


def find(sub: str) -> Application | None:
    return db.session.execute(db.select(Application).filter_by(sub=sub)).scalar_one_or_none()


def apply(sub: str, idempotency_key: str, applicant_name: str) -> Application:
    """The person's one application: the existing one, or a new one made now."""
    if not IDEMPOTENCY_KEY.match(idempotency_key or ""):
        raise BadIdempotencyKey("missing or malformed")
    existing = find(sub)
    if existing is not None:
        return existing
    db.session.add(
        Application(sub=sub, idempotency_key=idempotency_key, applicant_name=applicant_name)
    )
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # Another request of the same person won the race (unique `sub`), or this form was
        # posted twice (unique key): either way the one application is the one to show.
        db.session.rollback()
        existing = find(sub)
        if existing is None:
            raise BadIdempotencyKey("used by another application") from None
        return existing
    return find(sub)


def status_of(application: Application, decision_seconds: int, now: float | None = None) -> Status:
    """Received until `decision_seconds` have passed since it arrived, then decided: granted."""
    decided_at = application.created_at + decision_seconds
    if (time.time() if now is None else now) >= decided_at:
        return Status(DECIDED, decided_at, "granted")
    return Status(RECEIVED, decided_at, None)
