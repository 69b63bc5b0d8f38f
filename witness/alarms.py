"""Alarms: a refusal that is evidence against a log, stored for good and logged at ERROR."""

from __future__ import annotations

import logging
import time
from typing import Any

from .extensions import db
from .models import Alarm

log = logging.getLogger("silta.witness")

ROLLBACK = "rollback"  # the log's latest checkpoint is smaller than one cosigned
FORK = "fork"  # the same size as one cosigned, another root hash
INCONSISTENT = "inconsistent_proof"  # the log cannot prove its new tree extends the old one
BAD_SIGNATURE = "bad_signature"  # the log served a checkpoint its keys did not sign
WRONG_ORIGIN = "wrong_origin"  # the log served another log's (or no) checkpoint
KINDS = (ROLLBACK, FORK, INCONSISTENT, BAD_SIGNATURE, WRONG_ORIGIN)
MAX_EVIDENCE = 65536


def raise_alarm(origin: str, kind: str, detail: str, evidence: str) -> None:
    """Store the alarm in its own transaction, then log the event ``witness.alarm``."""
    db.session.rollback()  # nothing half-done travels with the alarm
    db.session.add(
        Alarm(
            origin=origin[:255],
            kind=kind,
            detail=detail,
            evidence=evidence[:MAX_EVIDENCE],
            raised_at=int(time.time()),
        )
    )
    db.session.commit()
    log.error("witness.alarm origin=%s kind=%s detail=%s", origin, kind, detail)


def list_alarms() -> list[dict[str, Any]]:
    """Every alarm, newest first, as ``GET /witness/alarms`` shows them."""
    rows = db.session.scalars(db.select(Alarm).order_by(Alarm.id.desc())).all()
    return [
        dict(id=a.id, origin=a.origin, kind=a.kind, detail=a.detail, evidence=a.evidence,
             raised_at=a.raised_at)
        for a in rows
    ]  # fmt: skip
