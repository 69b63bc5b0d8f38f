"""Polling: fetch each log's latest checkpoint, and its consistency proof, and cosign it.

Every refusal of something the log itself served is an alarm (its signature, origin, size or
proof); a log that cannot be reached is only a warning. ``Poller`` repeats this every
POLL_SECONDS in ``silta-witness run``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask import current_app

from . import alarms
from . import cosigner
from . import errors
from . import fetch
from .logs import WitnessedLog
from .metrics import METRICS
from .models import LogState

log = logging.getLogger("silta.witness")
# What a refusal of a checkpoint the log served is an alarm of. Text that is no checkpoint at
# all (a proxy's error page, say) is signed by no one: a failed fetch, not an alarm.
SERVED_ALARMS = {
    errors.BadSignature: alarms.BAD_SIGNATURE,
    errors.UnknownOrigin: alarms.WRONG_ORIGIN,
}


@dataclass(frozen=True)
class Outcome:
    """What one poll of one log came to: cosigned, unchanged, unreachable or refused."""

    origin: str
    outcome: str
    size: int | None = None
    detail: str = ""


def poll(witnessed: WitnessedLog) -> Outcome:
    """Fetch, check and cosign one log's latest checkpoint; never raises for the log's faults."""
    config = current_app.config
    timeout, limit = config["FETCH_TIMEOUT_SECONDS"], config["MAX_BODY_BYTES"]
    origin = witnessed.origin
    try:
        served = fetch.checkpoint(witnessed, timeout, limit)
        submitted = _read(witnessed, served)
        state = cosigner.latest(origin)
        old = state.size if state else 0
        if state is not None and submitted.checkpoint.size < state.size:
            detail = f"The log's latest checkpoint has {submitted.checkpoint.size} entries, "
            detail += f"fewer than the {state.size} cosigned: a rollback."
            alarms.raise_alarm(origin, alarms.ROLLBACK, detail, served.decode(errors="replace"))
            raise errors.Rollback(detail)
        if state is not None and submitted.checkpoint.body() == state_body(state):
            return Outcome(origin, "unchanged", state.size)
        proof = []
        if 0 < old < submitted.checkpoint.size:
            proof = fetch.consistency(witnessed, old, submitted.checkpoint.size, timeout, limit)
        signer = current_app.extensions["witness.key"]
        cosigner.cosign(submitted, old, proof, signer, proof_from_log=True)
    except fetch.FetchFailed as error:
        METRICS.fetch_failures.labels(origin).inc()
        log.warning("witness.fetch_failed origin=%s detail=%s", origin, error)
        return Outcome(origin, "unreachable", detail=str(error))
    except errors.WitnessError as error:
        METRICS.refusals.labels(error.code).inc()
        return Outcome(origin, "refused", detail=error.detail)
    METRICS.cosignatures.labels(origin).inc()
    return Outcome(origin, "cosigned", submitted.checkpoint.size)


def state_body(state: LogState) -> str:
    """The checkpoint body last cosigned."""
    return state.checkpoint.split("\n\n", 1)[0] + "\n"


def _read(witnessed: WitnessedLog, served: bytes) -> cosigner.Submitted:
    """The served checkpoint, read as this log's only: anything else it serves is an alarm."""
    try:
        return cosigner.read_checkpoint({witnessed.origin: witnessed}, served)
    except errors.Malformed as error:
        detail = f"{witnessed.checkpoint_url} served no checkpoint: {error.detail}"
        raise fetch.FetchFailed(detail) from None
    except (errors.BadSignature, errors.UnknownOrigin) as error:
        kind = SERVED_ALARMS[type(error)]
        alarms.raise_alarm(
            witnessed.origin, kind, error.detail, served.decode("utf-8", errors="replace")
        )
        raise


def poll_all() -> list[dict[str, Any]]:
    """Poll every log that has URLs to fetch from."""
    logs = current_app.extensions["witness.logs"].values()
    return [asdict(poll(w)) for w in logs if w.checkpoint_url]


class Poller(threading.Thread):
    """Poll all logs every ``interval`` seconds until stopped."""

    def __init__(self, app: Flask, interval: float) -> None:
        super().__init__(name="witness-poller", daemon=True)
        self.app, self.interval, self.stopped = app, interval, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            with self.app.app_context():
                try:
                    poll_all()
                except Exception:  # a bug must not stop the witness watching
                    log.exception("witness.poll_failed")
            self.stopped.wait(self.interval)
